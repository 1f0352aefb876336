"""Library entry points that reach Bedrock, as data.

Most Bedrock traffic goes through a library (LiteLLM, Strands Agents, pydantic-ai,
LlamaIndex, LangChain, the Anthropic SDK).  Each row of :data:`ENTRY_POINTS` describes
one entry point: how it is imported, which argument carries the model id and how the id
is spelled there, where its client configuration, timeout, retries, region and
credentials go, where caching is requested, which request shape it sends, and the
library's own defaults — each with the package version whose source it was read from.

The semantic index consumes the table (``analysis.bedrock``: a call of a listed name
becomes a :class:`~bedrock_lint.analysis.sites.ClientSite` carrying its row; model ids,
requests and the client rules read the row).  Adding a library is adding a row; no rule
names a library.  Where a library's behaviour is not in the facts or its source, the row
leaves the field empty and the rules stay silent.

Sources were read from the packages themselves (``pip download --no-deps``), never
imported by the tool: litellm 1.109.1, strands-agents 1.62.0, pydantic-ai-slim 2.68.0,
llama-index-llms-bedrock-converse 0.15.5, llama-index-llms-bedrock 0.6.0,
langchain-aws 1.9.1, aioboto3 15.5.0 / aiobotocore 3.10.0, anthropic 2.12.0
(docs/facts.md §5).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

# A request field's possible places, first match wins: (container keyword or None for
# a top-level keyword, key).
Places = tuple[tuple[str | None, str], ...]


@dataclass(frozen=True)
class ModelArgument:
    """Where an entry point takes a model id, and how it is spelled there."""

    keyword: str | None = None
    position: int | None = None
    # Prefixes the library puts before the Bedrock id, longest first (``bedrock/converse/``,
    # ``bedrock/``, ``bedrock:``).  The catalog judges the id without it; fixes keep it.
    prefixes: tuple[str, ...] = ()
    # Whether a string without one of the prefixes is a Bedrock model id here too:
    # "any" (ChatBedrock(model=…): every string is sent to Bedrock, Anthropic API names
    # included), "bedrock-ids" (only strings shaped like a Bedrock id or ARN; a bare
    # ``claude-…`` goes to another provider, as with LiteLLM).
    unprefixed: str = "any"
    # Keys to follow inside the argument's value: ``("*", "litellm_params", "model")``
    # for the dicts of LiteLLM's ``Router(model_list=[…])`` ("*" = every list item).
    path: tuple[str, ...] = ()

    def strip(self, text: str) -> tuple[str, str] | None:
        """(prefix, id) when ``text`` is spelled as this argument takes a Bedrock id;
        None when the string goes elsewhere (another provider, an unknown route)."""
        for prefix in self.prefixes:
            if text.startswith(prefix):
                return prefix, text[len(prefix):]
        if self.prefixes and self.unprefixed == "none":
            return None
        return "", text


@dataclass(frozen=True)
class Default:
    """One of the library's own defaults, with where it was read."""

    name: str
    value: object
    source: str


@dataclass(frozen=True)
class TimeoutOption:
    """A library-level timeout argument and the read timeout the library uses when the
    code gives neither it nor a botocore Config."""

    keywords: tuple[str, ...]
    default: float | None  # seconds; None: botocore's own (the library passes no read_timeout)
    source: str
    # What the argument does when a botocore Config is given too: "ignored" (the Config
    # wins: LlamaIndex), "merged" (the argument is merged over the Config: langchain-aws),
    # "" (the library takes no Config).
    with_config: str = ""
    # How BDR001's fix raises a default that is too low: "keyword" (add ``timeout=``) or
    # "config" (add the Config argument).
    fix_by: str = "config"
    # What to do instead when the entry point takes neither (``{config}`` is the Config
    # arguments the message asks for: the read timeout, or the retries).
    advice: str = ""
    # Whether BDR001 judges the default itself (below the configured minimum) or only
    # an explicit value (rules.md: AnthropicBedrock "with an explicit timeout below it").
    judge_default: bool = True


@dataclass(frozen=True)
class RetryOption:
    keyword: str | None
    # The retry mode the library sets itself when no Config is given ("standard" for
    # LlamaIndex), None when it leaves botocore's default.
    mode_without_config: str | None
    source: str
    # Whether an explicit 0 means no retry at all (reported by BDR002).
    zero_disables: bool = False
    default_attempts: int | None = None


@dataclass(frozen=True)
class CacheOption:
    """Where the library takes a caching request: ``form`` says how it is judged:
    "cache-point-type" (the value becomes ``cachePoint.type``: Strands ``cache_prompt``),
    "cache-control-messages" (Anthropic ``cache_control`` dicts on OpenAI-style messages,
    turned into Converse cache points: LiteLLM)."""

    keyword: str
    form: str
    source: str


@dataclass(frozen=True)
class ObjectMethods:
    """What the methods of the object an entry point builds send, read from the
    library's source: ``generating`` send a generation request or return an object that
    may (``bind_tools``, ``with_structured_output``); ``counting`` call CountTokens or
    count locally.  Every other method of the class sends nothing (``format_request``,
    ``get_config``, private request builders).  Analysis of the object's uses:
    ``analysis.model_objects``."""

    generating: frozenset[str]
    counting: frozenset[str]
    source: str


@dataclass(frozen=True)
class EntryPoint:
    name: str  # what messages call it: "litellm.completion", "BedrockModel"
    library: str  # "LiteLLM", "Strands Agents"
    package: str  # the version whose source the row was read from
    qualified_names: tuple[str, ...]
    # ClientSite.kind for the sites this row makes.
    kind: str
    model: tuple[ModelArgument, ...] = ()
    # Methods of the constructed object that take the model (AnthropicBedrock
    # ``messages.create(model=…)``); their model keyword.
    model_methods: tuple[str, ...] = ()
    method_model_keyword: str | None = None
    # A call of this name reaches Bedrock only when its model argument is spelled as a
    # Bedrock id (LiteLLM ``completion(model="gpt-4o")`` does not): otherwise no site.
    only_with_bedrock_model: bool = False
    # The request this entry point sends, for the request-shape rules: a name (rules
    # select requests by it) and where each field the rules ask about is written.
    api: str | None = None
    # Which Bedrock API the library calls, by the prefix of the model string (LiteLLM
    # routes); "" when the library picks it itself.
    routes: tuple[tuple[str, str], ...] = ()
    fields: Mapping[str, Places] = field(default_factory=dict)
    stream_keyword: str | None = None
    # Client configuration.
    config_keyword: str | None = None
    timeout: TimeoutOption | None = None
    retries: RetryOption | None = None
    region_keywords: tuple[str, ...] = ()
    # Keyword -> what it carries ("access_key_id", "secret_access_key", "session_token",
    # "api_key"), for BDR007.
    credentials: tuple[tuple[str, str], ...] = ()
    # Keywords that hand over a pre-built boto3 client or session (configuration unknown).
    client_keywords: tuple[str, ...] = ()
    caching: tuple[CacheOption, ...] = ()
    # Whether constructing it builds a boto3/HTTP client (BDR005: not per request).
    builds_client: bool = False
    defaults: tuple[Default, ...] = ()
    source: str = ""
    # Keyword naming the model's provider ("anthropic", "deepseek" …), which the library
    # takes over the provider segment of the model id (needed for ARNs).
    provider_keyword: str | None = None
    # For entry points that build an object whose methods send (a model class): what
    # each method does; None when every use of the object may send.
    methods: ObjectMethods | None = None

    def default(self, name: str) -> Default | None:
        return next((d for d in self.defaults if d.name == name), None)


AWS_CREDENTIALS = (
    ("aws_access_key_id", "access_key_id"),
    ("aws_secret_access_key", "secret_access_key"),
    ("aws_session_token", "session_token"),
)

# --------------------------------------------------------------------------- sources
LITELLM = "litellm 1.109.1"
STRANDS = "strands-agents 1.62.0"
PYDANTIC_AI = "pydantic-ai-slim 2.68.0"
LLAMA_CONVERSE = "llama-index-llms-bedrock-converse 0.15.5"
LLAMA_INVOKE = "llama-index-llms-bedrock 0.6.0"
LANGCHAIN = "langchain-aws 1.9.1"
ANTHROPIC = "anthropic 2.12.0"
AIOBOTO3 = "aioboto3 15.5.0 / aiobotocore 3.10.0"

# Methods of the model objects (``ObjectMethods``).
_STRANDS_METHODS = ObjectMethods(
    generating=frozenset({"stream", "structured_output", "_stream", "_converse", "_converse_structured_output"}),
    counting=frozenset({"count_tokens"}),
    source=(
        f"{STRANDS} models/bedrock.py: self.client.converse/converse_stream are called from _converse, "
        "_stream and _converse_structured_output, reached from stream and structured_output; "
        "count_tokens calls self.client.count_tokens"
    ),
)
# langchain-core's Runnable / BaseChatModel / BaseLLM interface: every public method that
# runs the model, and those returning a runnable that will.
_LANGCHAIN_GENERATING = frozenset({
    "invoke", "ainvoke", "stream", "astream", "batch", "abatch", "batch_as_completed", "abatch_as_completed",
    "astream_events", "astream_log", "transform", "atransform", "generate", "agenerate", "generate_prompt",
    "agenerate_prompt", "predict", "apredict", "predict_messages", "apredict_messages", "__call__", "call_as_llm",
    "_generate", "_agenerate", "_stream", "_astream", "_call", "_acall", "_generate_with_cache",
    "_agenerate_with_cache", "_prepare_input_and_invoke", "_prepare_input_and_invoke_stream",
    "_aprepare_input_and_invoke_stream",
    "bind", "bind_tools", "with_structured_output", "with_retry", "with_config", "with_fallbacks",
    "with_listeners", "with_alisteners", "with_types", "pipe", "assign", "pick", "map", "as_tool",
    "configurable_fields", "configurable_alternatives",
})
_LANGCHAIN_METHODS = ObjectMethods(
    generating=_LANGCHAIN_GENERATING,
    counting=frozenset({"get_num_tokens", "get_num_tokens_from_messages", "get_token_ids"}),
    source=(
        f"{LANGCHAIN} chat_models/bedrock_converse.py (_generate: self.client.converse, _stream: "
        "converse_stream, get_num_tokens_from_messages: self.client.count_tokens), "
        "chat_models/bedrock.py and llms/bedrock.py (_prepare_input_and_invoke*); langchain-core Runnable"
    ),
)

LITELLM_PREFIXES = ("bedrock/converse/", "bedrock/invoke/", "bedrock/")
PYDANTIC_PREFIXES = ("bedrock:",)

_LITELLM_MODEL = ModelArgument("model", 0, LITELLM_PREFIXES, unprefixed="bedrock-ids")
_LITELLM_COMMON = dict(
    library="LiteLLM",
    package=LITELLM,
    kind="litellm",
    only_with_bedrock_model=True,
    # LiteLLM takes Anthropic-style thinking at the top level and translates it for the
    # route it picks (converse or invoke); other sampling fields are OpenAI-style.
    api="litellm",
    # Without a route LiteLLM picks Converse for ids in litellm.bedrock_converse_models,
    # else Invoke (docs/facts.md §5.4); either way it translates thinking= itself.
    routes=(("bedrock/converse/", "converse"), ("bedrock/invoke/", "invoke"), ("bedrock/", "")),
    # temperature and top_p go to inferenceConfig (temperature, topP) and top_k to
    # additionalModelRequestFields for Anthropic models (llms/bedrock/chat/
    # converse_transformation.py map_openai_params, _handle_top_k_value).
    fields={
        "thinking": ((None, "thinking"),),
        "max_tokens": ((None, "max_tokens"), (None, "max_completion_tokens")),
        "temperature": ((None, "temperature"),),
        "top_p": ((None, "top_p"),),
        "top_k": ((None, "top_k"),),
    },
    stream_keyword="stream",
    timeout=TimeoutOption(
        ("timeout", "request_timeout"), 600,
        f"{LITELLM} litellm_core_utils/completion_timeout.py CompletionTimeout.resolve",
        fix_by="keyword",
        judge_default=False,
    ),
    region_keywords=("aws_region_name",),
    credentials=AWS_CREDENTIALS,
    caching=(CacheOption("messages", "cache-control-messages", f"{LITELLM} llms/bedrock/chat/converse_transformation.py _build_cache_point_block"),),
    defaults=(
        Default("timeout", 600, f"{LITELLM} litellm_core_utils/completion_timeout.py"),
        Default("region", "us-west-2", "docs/facts.md §5.4 (last resort of the region chain, silently)"),
    ),
    source=f"{LITELLM} main.py completion(model, messages, timeout, …, thinking, **kwargs); llms/bedrock/base_aws_llm.py; docs/facts.md §5.4",
)

_LANGCHAIN_CONVERSE_FIELDS: dict[str, Places] = {
    "max_tokens": ((None, "max_tokens"),),
    "temperature": ((None, "temperature"),),
    "top_p": ((None, "top_p"),),
    "thinking": (("additional_model_request_fields", "thinking"),),
    "reasoning_config": (("additional_model_request_fields", "reasoning_config"),),
    "top_k": (("additional_model_request_fields", "top_k"),),
    "anthropic_beta": (("additional_model_request_fields", "anthropic_beta"),),
    "anthropic_tools": (("additional_model_request_fields", "tools"),),
}
_LANGCHAIN_INVOKE_FIELDS: dict[str, Places] = {
    # langchain-aws also takes max_tokens, temperature and top_p as constructor arguments.
    "max_tokens": ((None, "max_tokens"), ("model_kwargs", "max_tokens")),
    "temperature": ((None, "temperature"), ("model_kwargs", "temperature")),
    "top_p": ((None, "top_p"), ("model_kwargs", "top_p")),
    "top_k": (("model_kwargs", "top_k"),),
    "thinking": (("model_kwargs", "thinking"),),
    "tool_choice": (("model_kwargs", "tool_choice"),),
    "anthropic_beta": (("model_kwargs", "anthropic_beta"),),
}
_LANGCHAIN_COMMON = dict(
    library="LangChain",
    package=LANGCHAIN,
    kind="langchain",
    stream_keyword="streaming",
    config_keyword="config",
    timeout=TimeoutOption(
        ("timeout",), None,
        f"{LANGCHAIN} _get_effective_config: timeout sets connect_timeout and read_timeout, merged over config",
        with_config="merged",
    ),
    retries=RetryOption("max_retries", None, f"{LANGCHAIN} _get_effective_config: retries={{'max_attempts': max_retries}}"),
    region_keywords=("region_name", "region"),
    credentials=(*AWS_CREDENTIALS, ("bedrock_api_key", "api_key"), ("api_key", "api_key")),
    client_keywords=("client",),
    builds_client=True,
    defaults=(Default("read_timeout", 60, "botocore's default: langchain-aws passes config as given (docs/facts.md §5.2)"),),
    methods=_LANGCHAIN_METHODS,
    # BedrockBase._get_provider / ChatBedrockConverse.provider: "If provider supplied by
    # user, return as-is"; required with an ARN.
    provider_keyword="provider",
)
_LANGCHAIN_MODEL = (ModelArgument("model_id"), ModelArgument("model"))

_LLAMA_COMMON = dict(
    library="LlamaIndex",
    kind="llamaindex",
    config_keyword="botocore_config",
    region_keywords=("region_name",),
    credentials=AWS_CREDENTIALS,
    builds_client=True,
)


def _llama_timeout(package: str) -> TimeoutOption:
    return TimeoutOption(
        ("timeout",), 60.0,
        f"{package} base.py timeout=60.0, used when botocore_config is not given",
        with_config="ignored",
        fix_by="keyword",
    )


def _llama_retries(package: str) -> RetryOption:
    return RetryOption(
        "max_retries", "standard",
        f"{package} base.py: Config(retries={{'max_attempts': max_retries, 'mode': 'standard'}}) unless botocore_config is given",
        default_attempts=10,
    )


ENTRY_POINTS: tuple[EntryPoint, ...] = (
    # ------------------------------------------------------------------ LiteLLM
    EntryPoint(name="litellm.completion", qualified_names=("litellm.completion", "litellm.main.completion"), model=(_LITELLM_MODEL,), **_LITELLM_COMMON),  # type: ignore[arg-type]
    EntryPoint(name="litellm.acompletion", qualified_names=("litellm.acompletion", "litellm.main.acompletion"), model=(_LITELLM_MODEL,), **_LITELLM_COMMON),  # type: ignore[arg-type]
    EntryPoint(
        name="litellm.Router",
        library="LiteLLM",
        package=LITELLM,
        qualified_names=("litellm.Router", "litellm.router.Router"),
        kind="litellm-router",
        model=(ModelArgument("model_list", 0, LITELLM_PREFIXES, unprefixed="none", path=("*", "litellm_params", "model")),),
        source=f"{LITELLM} router.py Router(model_list=[{{'model_name': …, 'litellm_params': {{'model': 'bedrock/…'}}}}])",
    ),
    # ------------------------------------------------------------------ Strands Agents
    EntryPoint(
        name="BedrockModel",
        library="Strands Agents",
        package=STRANDS,
        qualified_names=("strands.models.BedrockModel", "strands.models.bedrock.BedrockModel"),
        kind="strands",
        model=(ModelArgument("model_id"),),
        api="strands-converse",
        fields={
            "max_tokens": ((None, "max_tokens"),),
            "temperature": ((None, "temperature"),),
            "top_p": ((None, "top_p"),),
            "thinking": (("additional_request_fields", "thinking"),),
            "reasoning_config": (("additional_request_fields", "reasoning_config"),),
            "top_k": (("additional_request_fields", "top_k"),),
            "anthropic_beta": (("additional_request_fields", "anthropic_beta"),),
            "anthropic_tools": (("additional_request_fields", "tools"),),
        },
        stream_keyword="streaming",
        config_keyword="boto_client_config",
        timeout=TimeoutOption(
            (), 120,
            f"{STRANDS} models/bedrock.py DEFAULT_READ_TIMEOUT, used when boto_client_config is not given",
        ),
        retries=RetryOption(None, None, f"{STRANDS} models/bedrock.py: Config(user_agent_extra=…, read_timeout=120)"),
        region_keywords=("region_name",),
        credentials=(("api_key", "api_key"),),
        caching=(
            CacheOption("cache_prompt", "cache-point-type", f"{STRANDS} models/bedrock.py: system_blocks.append({{'cachePoint': {{'type': cache_prompt}}}})"),
            CacheOption("cache_tools", "cache-point-type", f"{STRANDS} models/bedrock.py _build_deprecated_cache_tools_point: {{'type': cache_tools}}"),
        ),
        builds_client=True,
        defaults=(
            Default("read_timeout", 120, f"{STRANDS} models/bedrock.py DEFAULT_READ_TIMEOUT; docs/facts.md §5.5"),
            Default("region", "us-west-2", f"{STRANDS} models/bedrock.py DEFAULT_BEDROCK_REGION"),
        ),
        source=f"{STRANDS} models/bedrock.py BedrockModel(*, boto_session, boto_client_config, region_name, endpoint_url, api_key, **model_config)",
        methods=_STRANDS_METHODS,
    ),
    EntryPoint(
        name="strands.Agent",
        library="Strands Agents",
        package=STRANDS,
        qualified_names=("strands.Agent", "strands.agent.Agent", "strands.agent.agent.Agent"),
        kind="strands-agent",
        # A string model is a Bedrock model id: Agent builds BedrockModel(model_id=model),
        # with Strands' own 120 s read timeout and no retry mode.
        model=(ModelArgument("model", 0, unprefixed="any"),),
        only_with_bedrock_model=True,
        timeout=TimeoutOption(
            (), 120,
            f"{STRANDS} agent/agent.py BedrockModel(model_id=model), models/bedrock.py DEFAULT_READ_TIMEOUT",
            fix_by="",
            advice="pass a BedrockModel with boto_client_config=Config({config})",
        ),
        retries=RetryOption(None, None, f"{STRANDS} models/bedrock.py: Config(user_agent_extra=…, read_timeout=120)"),
        source=f"{STRANDS} agent/agent.py: elif isinstance(model, str): self.model = BedrockModel(model_id=model)",
    ),
    # ------------------------------------------------------------------ pydantic-ai
    EntryPoint(
        name="BedrockConverseModel",
        library="pydantic-ai",
        package=PYDANTIC_AI,
        qualified_names=("pydantic_ai.models.bedrock.BedrockConverseModel",),
        kind="pydantic-ai",
        model=(ModelArgument("model_name", 0),),
        source=f"{PYDANTIC_AI} models/bedrock.py BedrockConverseModel(model_name, *, provider='bedrock', profile, settings)",
    ),
    EntryPoint(
        name="pydantic_ai.Agent",
        library="pydantic-ai",
        package=PYDANTIC_AI,
        qualified_names=("pydantic_ai.Agent", "pydantic_ai.agent.Agent"),
        kind="pydantic-ai-agent",
        model=(ModelArgument("model", 0, PYDANTIC_PREFIXES, unprefixed="none"),),
        only_with_bedrock_model=True,
        source=f"{PYDANTIC_AI} agent/__init__.py Agent(model, *, …); models/__init__.py infer_model: 'bedrock:<id>'",
    ),
    EntryPoint(
        name="BedrockProvider",
        library="pydantic-ai",
        package=PYDANTIC_AI,
        qualified_names=("pydantic_ai.providers.bedrock.BedrockProvider",),
        kind="pydantic-ai-provider",
        timeout=TimeoutOption(
            ("aws_read_timeout",), 300,
            f"{PYDANTIC_AI} providers/bedrock.py, or $AWS_READ_TIMEOUT",
            fix_by="keyword",
            judge_default=False,
        ),
        region_keywords=("region_name",),
        credentials=(*AWS_CREDENTIALS, ("api_key", "api_key")),
        client_keywords=("bedrock_client",),
        defaults=(
            Default("read_timeout", 300, f"{PYDANTIC_AI} providers/bedrock.py"),
            Default("connect_timeout", 60, f"{PYDANTIC_AI} providers/bedrock.py"),
        ),
        source=f"{PYDANTIC_AI} providers/bedrock.py BedrockProvider(*, bedrock_client | aws_access_key_id, …, region_name, profile_name, api_key, aws_read_timeout, aws_connect_timeout)",
    ),
    # ------------------------------------------------------------------ LlamaIndex
    EntryPoint(
        name="LlamaIndex BedrockConverse",
        package=LLAMA_CONVERSE,
        qualified_names=("llama_index.llms.bedrock_converse.BedrockConverse", "llama_index.llms.bedrock_converse.base.BedrockConverse"),
        model=(ModelArgument("model", 0),),
        api="llamaindex-converse",
        fields={
            "max_tokens": ((None, "max_tokens"),),
            "thinking": ((None, "thinking"),),
        },
        timeout=_llama_timeout(LLAMA_CONVERSE),
        retries=_llama_retries(LLAMA_CONVERSE),
        defaults=(
            Default("timeout", 60.0, f"{LLAMA_CONVERSE} base.py"),
            Default("max_retries", 10, f"{LLAMA_CONVERSE} base.py"),
        ),
        source=f"{LLAMA_CONVERSE} base.py BedrockConverse(model, …, region_name, timeout=60.0, max_retries=10, botocore_config, additional_kwargs, thinking)",
        **_LLAMA_COMMON,  # type: ignore[arg-type]
    ),
    EntryPoint(
        name="LlamaIndex Bedrock",
        package=LLAMA_INVOKE,
        qualified_names=("llama_index.llms.bedrock.Bedrock", "llama_index.llms.bedrock.base.Bedrock"),
        model=(ModelArgument("model", 0),),
        timeout=_llama_timeout(LLAMA_INVOKE),
        retries=_llama_retries(LLAMA_INVOKE),
        defaults=(
            Default("timeout", 60.0, f"{LLAMA_INVOKE} base.py"),
            Default("max_retries", 10, f"{LLAMA_INVOKE} base.py"),
        ),
        source=f"{LLAMA_INVOKE} base.py Bedrock(model, …, region_name, timeout=60.0, max_retries=10, botocore_config, additional_kwargs)",
        **_LLAMA_COMMON,  # type: ignore[arg-type]
    ),
    # ------------------------------------------------------------------ LangChain
    EntryPoint(
        name="ChatBedrockConverse",
        qualified_names=("langchain_aws.ChatBedrockConverse", "langchain_aws.chat_models.ChatBedrockConverse", "langchain_aws.chat_models.bedrock_converse.ChatBedrockConverse"),
        model=_LANGCHAIN_MODEL,
        api="langchain-converse",
        fields=_LANGCHAIN_CONVERSE_FIELDS,
        source=f"{LANGCHAIN} chat_models/bedrock_converse.py; docs/facts.md §5.2",
        **_LANGCHAIN_COMMON,  # type: ignore[arg-type]
    ),
    EntryPoint(
        name="ChatBedrock",
        qualified_names=("langchain_aws.ChatBedrock", "langchain_aws.chat_models.ChatBedrock", "langchain_aws.chat_models.bedrock.ChatBedrock"),
        model=_LANGCHAIN_MODEL,
        api="langchain-invoke",
        fields=_LANGCHAIN_INVOKE_FIELDS,
        source=f"{LANGCHAIN} chat_models/bedrock.py (BedrockBase); docs/facts.md §5.2",
        **_LANGCHAIN_COMMON,  # type: ignore[arg-type]
    ),
    EntryPoint(
        name="BedrockLLM",
        qualified_names=("langchain_aws.BedrockLLM", "langchain_aws.llms.BedrockLLM", "langchain_aws.llms.bedrock.BedrockLLM"),
        model=_LANGCHAIN_MODEL,
        api="langchain-invoke",
        fields=_LANGCHAIN_INVOKE_FIELDS,
        source=f"{LANGCHAIN} llms/bedrock.py (BedrockBase); docs/facts.md §5.2",
        **_LANGCHAIN_COMMON,  # type: ignore[arg-type]
    ),
    # ------------------------------------------------------------------ Anthropic SDK
    *(
        EntryPoint(
            name=name,
            library="Anthropic SDK",
            package=ANTHROPIC,
            qualified_names=(f"anthropic.{name}", f"anthropic.lib.bedrock.{name}"),
            kind="anthropic",
            model_methods=("messages.create", "messages.stream"),
            method_model_keyword="model",
            timeout=TimeoutOption(("timeout",), 600, "docs/facts.md §5.1", fix_by="keyword", judge_default=False),
            retries=RetryOption("max_retries", None, f"{ANTHROPIC} DEFAULT_MAX_RETRIES = 2; docs/facts.md §5.1", zero_disables=True, default_attempts=2),
            region_keywords=("aws_region",),
            credentials=(
                ("aws_access_key", "access_key_id"),
                ("aws_secret_key", "secret_access_key"),
                ("aws_session_token", "session_token"),
                ("api_key", "api_key"),
            ),
            builds_client=True,
            defaults=(
                Default("timeout", 600, f"{ANTHROPIC} lib/bedrock/_client.py"),
                Default("max_retries", 2, f"{ANTHROPIC} _constants.py"),
            ),
            source=f"{ANTHROPIC} lib/bedrock/_client.py; docs/facts.md §5.1",
        )
        for name in ("AnthropicBedrock", "AsyncAnthropicBedrock")
    ),
)

# aioboto3 / aiobotocore: sessions whose ``client("bedrock-runtime")`` /
# ``create_client("bedrock-runtime")`` is a botocore client (same defaults as boto3,
# docs/facts.md §5.3); the client rules treat them as boto3 clients.
SESSION_ENTRY_POINTS: tuple[EntryPoint, ...] = (
    EntryPoint(
        name="aioboto3.Session().client",
        library="aioboto3",
        package=AIOBOTO3,
        qualified_names=("aioboto3.Session", "aioboto3.session.Session"),
        kind="aioboto3",
        config_keyword="config",
        region_keywords=("region_name",),
        credentials=AWS_CREDENTIALS,
        builds_client=True,
        defaults=(Default("read_timeout", 60, "botocore.endpoint.DEFAULT_TIMEOUT; docs/facts.md §5.3"),),
        source=f"{AIOBOTO3} aioboto3/session.py Session(boto3.session.Session).client(…) (an async context manager)",
    ),
    EntryPoint(
        name="aiobotocore get_session().create_client",
        library="aiobotocore",
        package=AIOBOTO3,
        qualified_names=("aiobotocore.session.get_session", "aiobotocore.session.AioSession"),
        kind="aiobotocore",
        config_keyword="config",
        region_keywords=("region_name",),
        credentials=AWS_CREDENTIALS,
        builds_client=True,
        defaults=(Default("read_timeout", 60, "botocore.endpoint.DEFAULT_TIMEOUT; docs/facts.md §5.3"),),
        source=f"{AIOBOTO3} aiobotocore/session.py AioSession.create_client(service_name, region_name, …, config)",
    ),
)


def _by_name(rows: tuple[EntryPoint, ...]) -> dict[str, EntryPoint]:
    return {name: row for row in rows for name in row.qualified_names}


_BY_NAME: tuple[tuple[EntryPoint, ...], dict[str, EntryPoint]] | None = None


def by_qualified_name() -> dict[str, EntryPoint]:
    """Qualified name -> row, rebuilt whenever ``ENTRY_POINTS`` is another tuple (so a
    row added to the table is all it takes)."""
    global _BY_NAME
    if _BY_NAME is None or _BY_NAME[0] is not ENTRY_POINTS:
        _BY_NAME = (ENTRY_POINTS, _by_name(ENTRY_POINTS))
    return _BY_NAME[1]


SESSION_BY_QUALIFIED_NAME: dict[str, EntryPoint] = _by_name(SESSION_ENTRY_POINTS)

# Every prefix a library writes before a Bedrock id, longest first: a string such as
# ``"bedrock/anthropic.claude-…"`` is a model id wherever it is used.
MODEL_PREFIXES: tuple[str, ...] = tuple(
    sorted({p for row in ENTRY_POINTS for argument in row.model for p in argument.prefixes}, key=len, reverse=True)
)


def entry_point(qualified_name: str | None, rows: Mapping[str, EntryPoint] | None = None) -> EntryPoint | None:
    """The row of a qualified name; a class re-exported from another module of the same
    package (``langchain_aws.chat_models.bedrock.ChatBedrock``) finds the row of
    ``<package>.<name>`` too."""
    if not qualified_name:
        return None
    rows = rows if rows is not None else by_qualified_name()
    found = rows.get(qualified_name)
    if found is None and "." in qualified_name:
        top, last = qualified_name.split(".", 1)[0], qualified_name.rsplit(".", 1)[-1]
        found = rows.get(f"{top}.{last}")
        if found is not None and found.kind not in REEXPORT_KINDS:
            found = None
    return found


# Rows whose class may be imported from any module of its package.
REEXPORT_KINDS = frozenset({"langchain"})


def strip_model_prefix(text: str) -> tuple[str, str]:
    """(library prefix, Bedrock id) of a model string: ``"bedrock/converse/us.anthropic…"``
    → ``("bedrock/converse/", "us.anthropic…")``; no prefix → ``("", text)``."""
    for prefix in MODEL_PREFIXES:
        if text.startswith(prefix):
            return prefix, text[len(prefix):]
    return "", text


def libraries() -> list[tuple[str, str, list[str]]]:
    """(library, package, entry point names) for docs."""
    found: dict[str, tuple[str, list[str]]] = {}
    for row in (*ENTRY_POINTS, *SESSION_ENTRY_POINTS):
        package, names = found.setdefault(row.library, (row.package, []))
        names.append(row.name)
    return [(library, package, names) for library, (package, names) in found.items()]
