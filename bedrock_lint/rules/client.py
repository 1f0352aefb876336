"""BDR0xx: how Bedrock clients are configured and where they are built.

Facts: ``docs/facts.md`` §1 (botocore Config defaults, retry
modes, region resolution) and §5 (AnthropicBedrock and langchain-aws defaults).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterator

import libcst as cst

from bedrock_lint.analysis.bedrock import (
    config_of,
    handoff_models,
    other_config_consumers,
    reads_only_other_attributes,
    unused_local_client,
    wrappers_of,
)
from bedrock_lint.analysis.model_choices import model_choices
from bedrock_lint.analysis.model_objects import COUNTS, NOTHING, object_use
from bedrock_lint.analysis.parameters import parameter_behind, passed_literals
from bedrock_lint.analysis.request_paths import HelperCall, client_helper_request_path, client_request_path
from bedrock_lint.analysis.requests import request_for
from bedrock_lint.analysis.retry_loops import find_retry_loops
from bedrock_lint.analysis.test_doubles import is_test_module
from bedrock_lint.analysis.sites import BOTOCORE_READ_TIMEOUT, ClientSite, ConfigSite, ModuleIndex, OperationCall
from bedrock_lint.analysis.values import DictValue, EnvironmentValue, ListValue, Literal, Value
from bedrock_lint.analysis.walk import contains
from bedrock_lint.catalog.api import config_positional_order
from bedrock_lint.findings import Applicability, Severity
from bedrock_lint.fixes.builders import (
    call_with_keyword,
    call_with_keyword_value,
    dict_with_entry,
    import_module,
    import_name,
    replace_node,
    string_literal_like,
)
from bedrock_lint.rules.registry import rule
from bedrock_lint.analysis.scope import model_text
from bedrock_lint.catalog.models import split_profile
from bedrock_lint.catalog.providers import model_provider
from bedrock_lint.rules.scope import longest_answer, read_timeout_needed
from bedrock_lint.rules.report import FixProposal, NodeEdit, Report, fitting
from bedrock_lint.settings import Settings

AWS_REGION_PATTERN = re.compile(r"^(?:[a-z]{2}(?:-gov|-iso[a-z]?)?)-[a-z]+-\d+$")


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _claude_clients(index: ModuleIndex) -> Iterator[ClientSite]:
    """Bedrock clients the client rules apply to: not those that only ever call
    non-Anthropic models (an embeddings-only client needs none of this advice).
    Judged once per index: five rules ask, and each judgement walks the module."""
    found = index.derived.get("claude_clients")
    if found is None:
        found = index.derived["claude_clients"] = list(_judge_claude_clients(index))
    return iter(found)


def _judge_claude_clients(index: ModuleIndex) -> Iterator[ClientSite]:
    module_other = _module_calls_only_other_providers(index)
    for client in index.clients:
        if client.only_calls_other_providers or object_use(index, client) == NOTHING:
            continue  # a model object only used to build requests sends none
        if module_other and client.is_botocore_family and not client.operations:
            continue  # handed to a helper of this module, and every call the module makes is to another provider
        if client.is_botocore_family and _sends_no_model_request(index, client):
            continue
        with_model = [op for op in client.operations if op.names_a_model]
        if with_model and all(_reaches_only_other_models(index, op) for op in with_model):
            continue  # every call may only reach another provider's model (through a helper's parameter …)
        yield client


def _owner(client: ClientSite, name: str):
    """The scope that owns the name a client is bound to."""
    return client.scope.lookup_scope(name) or client.scope


def _sends_no_model_request(index: ModuleIndex, client: ClientSite) -> bool:
    """A boto3 client that never reaches a model: only guardrail checks or job lookups
    on it and nothing else reads it; never used at all (a function's local); or handed
    only to library models that all call another provider's model."""
    if reads_only_other_attributes(index, client):
        return True  # client.exceptions.ThrottlingException beside a LangChain model
    if client.operations:
        if any(op.names_a_model for op in client.operations):
            return False
        target = index.assignment_targets.get(id(client.call))
        return isinstance(target, cst.Name) and index.name_mentions_within(_owner(client, target.value), target.value) <= len(client.operations)
    if unused_local_client(index, client):
        return True
    wrappers = wrappers_of(index, client)
    if wrappers:
        return all(wrapper.only_calls_other_providers for wrapper in wrappers)
    # Handed only to wrappers the library table does not know (LangChain's legacy
    # Bedrock, BedrockEmbeddings) with another provider's model beside it.
    models = handoff_models(index, client)
    return bool(models) and all(model is not None and model_provider(model) == "other" for model in models)


def _module_calls_only_other_providers(index: ModuleIndex) -> bool:
    """Every Bedrock call of the module that names a model sends another provider's
    request format (an embeddings tool that creates its client in one function and calls
    ``invoke_model`` with a Titan body in another).  A model id alone is not enough: a
    class default such as ``id = "mistral…"`` is configuration a user overrides."""
    with_model = [op for op in index.operations if op.names_a_model]
    return bool(with_model) and all(
        op.body_provider == "other" or _literal_other_model(op) or _chosen_among_other_models(index, op) for op in with_model
    )


def _reaches_only_other_models(index: ModuleIndex, op: OperationCall) -> bool:
    """The call names another provider's model, or every model it may be sent to is one."""
    return op.model_provider == "other" or _chosen_among_other_models(index, op)


def _chosen_among_other_models(index: ModuleIndex, op: OperationCall) -> bool:
    """Every model the call may be sent to (a helper's parameter and the ids the module's
    own calls pass it, branches, a routing table: ``model_choices``) is another
    provider's: a Nova-only helper called with ``MODEL_ID = "us.amazon.nova-pro-v1:0"``."""
    request = request_for(index, op.call)
    model = index.resolver.keyword_entry(op.call, "modelId", op.scope)
    if request is None or (model is not None and isinstance(model.value, cst.Attribute)):
        return False  # self.model_id: a class default is configuration users override (agno)
    choices, _ = model_choices(index, request, every_binding=True)
    return bool(choices) and all(model_provider(choice.model_id) == "other" for choice in choices)


def _literal_other_model(op: OperationCall) -> bool:
    """The call itself names another provider's model in a string literal."""
    argument = next((a for a in op.call.args if a.keyword is not None and a.keyword.value in ("modelId", "model")), None)
    return argument is not None and isinstance(argument.value, cst.SimpleString) and op.model_provider == "other"


def _describe(client: ClientSite) -> str:
    if client.kind == "anthropic":
        return f"{client.constructor} client"
    if client.entry is not None:
        return client.constructor
    if client.kind in ("aioboto3", "aiobotocore"):
        return f"{client.kind} client"
    return "bedrock-runtime client"


def _config_class(index: ModuleIndex, client: ClientSite) -> tuple[str, list[NodeEdit]]:
    if client.kind in ("aioboto3", "aiobotocore"):
        return import_name(
            index, "aiobotocore.config", "AioConfig", fallback_alias="BotocoreAioConfig", used_at=client.call
        )
    return import_name(
        index,
        "botocore.config",
        "Config",
        fallback_alias="BotocoreConfig",
        same_as=("botocore.client.Config",),
        used_at=client.call,
    )


def _literal_number(index: ModuleIndex, argument: cst.Arg | None, client_scope) -> Literal | None:
    if argument is None:
        return None
    value = index.resolve(argument.value, client_scope)
    return value if isinstance(value, Literal) and value.is_number else None


def _add_config_fix(index: ModuleIndex, client: ClientSite, settings: Settings, *, timeouts: bool, retries: bool) -> FixProposal:
    class_name, import_edits = _config_class(index, client)
    options = []
    if timeouts:
        options.append(f"read_timeout={_seconds(settings.min_read_timeout)}")
        options.append(f"connect_timeout={_seconds(settings.connect_timeout)}")
    elif client.entry is not None and client.entry.timeout is not None and client.entry.timeout.default is not None:
        # Giving the library a Config replaces its own read timeout (Strands: 120 s):
        # keep it, so that the fix changes only the retry policy.
        options.append(f"read_timeout={_seconds(client.entry.timeout.default)}")
    if retries:
        options.append(_retries_argument(settings))
    keyword = client.entry.config_keyword if client.entry is not None else "config"
    config = cst.parse_expression(f"{class_name}({', '.join(options)})")
    new_call = call_with_keyword_value(client.call, keyword, config)  # replaces an explicit config=None
    return FixProposal(
        Applicability.SAFE,
        f"Add {keyword}={class_name}({', '.join(options)})",
        [replace_node(index, client.call, new_call), *import_edits],
    )


def _given(client: ClientSite, names) -> cst.Arg | None:
    """The first of ``names`` given to the client (an explicit None is not given)."""
    for name in names:
        argument = client.keyword(name) if name else None
        if argument is not None and not (isinstance(argument.value, cst.Name) and argument.value.value == "None"):
            return argument
    return None


def _library_overrides(client: ClientSite) -> tuple[cst.Arg | None, cst.Arg | None]:
    """The row's library-level ``timeout`` and retries arguments (ignoring explicit None).

    For langchain-aws (``with_config="merged"``): when either is given, it merges
    ``Config(connect_timeout=timeout, read_timeout=timeout, retries={"max_attempts":
    max_retries} or None)`` over ``config``, and botocore's merge lets those explicit
    Nones win: ``max_retries`` alone removes the read timeout, and either one replaces
    the Config's ``retries`` (langchain_aws 1.9.1, ``_get_effective_config``)."""
    entry = client.entry
    if entry is None:
        return None, None
    timeout = _given(client, entry.timeout.keywords) if entry.timeout is not None else None
    retries = _given(client, (entry.retries.keyword,)) if entry.retries is not None and entry.retries.keyword else None
    return timeout, retries


def _own_default(client: ClientSite) -> str:
    """``"<library>'s default of N s"`` for messages (the source is in docs/libraries.md)."""
    entry = client.entry
    assert entry is not None and entry.timeout is not None and entry.timeout.default is not None
    owner = entry.library + ("'" if entry.library.endswith("s") else "'s")
    return f"{owner} default of {_seconds(entry.timeout.default)} s"


def _retries_argument(settings: Settings) -> str:
    return f'retries={{"mode": "{settings.retry_mode}", "max_attempts": {settings.retry_max_attempts}}}'


# --------------------------------------------------------------------------- BDR001
@rule(
    code="BDR001",
    name="client-default-timeout",
    severity=Severity.WARNING,
    summary="Bedrock client left on botocore's 60 s read timeout (or a timeout below the configured minimum)",
    why="""
        botocore's `read_timeout` defaults to 60 seconds (`botocore.endpoint.DEFAULT_TIMEOUT`).
        A non-streaming Claude response with a large `max_tokens` or extended thinking
        routinely takes longer, so the call fails with `ReadTimeoutError` — and because both
        the standard and legacy retry modes retry read timeouts, the whole generation is
        sent and paid for again before the error surfaces. AWS's own guidance is to raise
        `read_timeout` (re:Post "bedrock-large-model-read-timeouts") or stream.
        langchain-aws clients use the same botocore default unless `config` or `timeout`
        is given. AnthropicBedrock defaults to 600 s, so it is only reported when an
        explicit `timeout` is below the minimum. Libraries with a default of their own
        are judged by it (docs/libraries.md, read from each package's source):
        Strands `BedrockModel` 120 s without `boto_client_config`, LlamaIndex
        `Bedrock`/`BedrockConverse` 60 s without `botocore_config`; LiteLLM (600 s) and
        pydantic-ai `BedrockProvider` (300 s) only when an explicit `timeout` /
        `aws_read_timeout` is below the minimum. No response is long when none is
        generated or every answer is capped at the small-task size: a library model
        object only used to count tokens or build requests, or whose constructor sets
        `max_tokens` at most `small-task-max-tokens` (64) without thinking, is not
        reported; nor is a boto3 client used only for calls of which every one that may
        reach Claude streams: the read timeout then bounds the wait for each event, and
        only a very large context delays the first one past it. Library agents that
        accumulate tool results (Strands) stay reported: their first event has been
        seen to come after 120 s (docs/facts.md §1.5). Clients that
        only reach other providers' models, imported models or custom Nova deployments
        are out of scope for the client rules (BDR001–BDR006). A helper that builds the
        client from a `Config` its callers pass is judged on each `Config` the module's
        calls pass, where it is written.
        Source: docs/facts.md §1.1, §1.5, §2.7, §2.8, §5.1, §5.2, §5.4, §5.5.
    """,
    bad="""
        import boto3

        client = boto3.client("bedrock-runtime")
    """,
    good="""
        import boto3
        from botocore.config import Config

        client = boto3.client("bedrock-runtime", config=Config(read_timeout=300, connect_timeout=10, retries={"mode": "adaptive", "max_attempts": 5}))
    """,
    fix="safe",
    fix_safety="""
        Adds `config=Config(read_timeout=…, connect_timeout=…)` (and the import), adds
        `read_timeout=` to an existing `Config`, or raises a too-low literal timeout to the
        minimum. A longer read timeout only lets slow responses finish instead of failing,
        so behaviour of working code is kept.
    """,
    options=("min-read-timeout", "connect-timeout", "small-task-max-tokens"),
)
def client_default_timeout(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    minimum = settings.min_read_timeout
    for client in _claude_clients(index):
        if object_use(index, client) == COUNTS or _short_answers_only(index, client, settings):
            continue  # no long response to time out
        if _only_streams(index, client):
            continue  # the read timeout applies to each event of a stream (facts §1.5)
        what = _describe(client)
        # Judged against the minimum; the value suggested (and set by the fixes) also
        # covers the client's own long calls, so a fix leaves no BDR206 behind.
        suggested = read_timeout_needed(index, client, settings)
        fix_settings = replace(settings, min_read_timeout=suggested)
        entry = client.entry
        option = entry.timeout if entry is not None else None
        if entry is not None:
            timeout, retries = _library_overrides(client)
            configured = client.config_state != "absent"
            if timeout is not None and option is not None and not (configured and option.with_config == "ignored"):
                literal = _literal_number(index, timeout, client.scope)
                if literal is not None and literal.value < minimum:  # type: ignore[operator]
                    yield Report(
                        "BDR001",
                        timeout,
                        _low_timeout_message(client, timeout, literal.value, suggested),  # type: ignore[arg-type]
                        _raise_literal_fix(index, literal, suggested, timeout.keyword.value, timeout),  # type: ignore[union-attr]
                    )
                continue
            if option is not None and option.with_config == "merged" and retries is not None:
                continue  # langchain-aws then sets read_timeout=None: no read timeout at all
            if entry.config_keyword is None and (option is None or option.default is None):
                continue  # no botocore Config and no known default: only an explicit timeout is judged
        if client.config_state == "absent":
            if option is not None and option.default is not None:
                if option.default >= minimum or not option.judge_default:
                    continue
                yield Report(
                    "BDR001",
                    client.call,
                    fitting(
                        f"{what} has {_own_default(client)} as its read timeout; {_timeout_advice(client, suggested)}",
                        f"{what} has a default read timeout of {_seconds(entry.timeout.default)} s; "  # type: ignore[union-attr]
                        f"{_timeout_advice(client, suggested)}",
                    ),
                    _library_timeout_fix(index, client, fix_settings),
                )
                continue
            keyword = entry.config_keyword if entry is not None else "config"
            yield Report(
                "BDR001",
                client.call,
                f"{what} keeps botocore's {BOTOCORE_READ_TIMEOUT} s read timeout, too short for Claude; "
                f"pass {keyword}=Config(read_timeout={_seconds(suggested)})",
                _add_config_fix(index, client, fix_settings, timeouts=True, retries=False),
            )
        elif client.config_state == "known" and client.config is not None:
            yield from _unsafe_if_shared(index, client.config, _check_config_timeout(index, client, client.config, settings, suggested))
        else:
            for config in _configs_passed_to_helper(index, client):
                yield from _check_config_timeout(index, client, config, settings, suggested)


def _only_streams(index: ModuleIndex, client: ClientSite) -> bool:
    """A boto3 client used only for calls in the module, and whose every call that may
    reach Claude streams (``converse_stream``, ``invoke_model_with_response_stream``;
    Titan calls beside them do not count): no Claude answer waits for the whole
    generation."""
    target = index.assignment_targets.get(id(client.call))
    if not client.is_botocore_family or not isinstance(target, cst.Name):
        return False
    if index.name_mentions_within(_owner(client, target.value), target.value) > len(client.operations):
        return False  # handed to a helper or a library model, which may not stream
    requests = [request_for(index, op.call) for op in client.operations if not _reaches_only_other_models(index, op)]
    return bool(requests) and all(request is not None and request.streams for request in requests)


def _short_answers_only(index: ModuleIndex, client: ClientSite, settings: Settings) -> bool:
    """A library model whose constructor caps every answer at the small-task size
    (``BedrockModel(max_tokens=64)``, no thinking): it is the cap of every request it
    sends, whoever calls it."""
    if client.entry is None:
        return False
    request = request_for(index, client.call)
    if request is None or request.thinking() is not None:
        return False
    max_tokens = request.max_tokens()
    return max_tokens is not None and max_tokens <= settings.small_task_max_tokens


def _low_timeout_message(client: ClientSite, argument: cst.Arg, value: float, minimum: float) -> str:
    entry = client.entry
    assert entry is not None and entry.timeout is not None
    name = argument.keyword.value if argument.keyword is not None else "timeout"
    return (
        f"{_describe(client)} {name}={_seconds(value)} s is too short for long answers; "
        f"use {name}={_seconds(minimum)} or more"
    )


def _timeout_advice(client: ClientSite, minimum: float) -> str:
    entry = client.entry
    assert entry is not None and entry.timeout is not None
    if entry.timeout.fix_by == "keyword" and entry.timeout.keywords:
        return f"pass {entry.timeout.keywords[0]}={_seconds(minimum)}"
    if entry.timeout.advice:
        return entry.timeout.advice.format(config=f"read_timeout={_seconds(minimum)}")
    return f"pass {entry.config_keyword}=Config(read_timeout={_seconds(minimum)})"


def _library_timeout_fix(index: ModuleIndex, client: ClientSite, settings: Settings) -> FixProposal | None:
    entry = client.entry
    assert entry is not None and entry.timeout is not None
    if entry.timeout.fix_by == "keyword" and entry.timeout.keywords:
        name = entry.timeout.keywords[0]
        if any(a.star for a in client.call.args):
            return None
        new_call = call_with_keyword_value(client.call, name, cst.parse_expression(_seconds(settings.min_read_timeout)))
        return FixProposal(Applicability.SAFE, f"Add {name}={_seconds(settings.min_read_timeout)}", [replace_node(index, client.call, new_call)])
    if entry.config_keyword is None:
        return None
    return _add_config_fix(index, client, settings, timeouts=True, retries=False)


def _check_config_timeout(index: ModuleIndex, client: ClientSite, config: ConfigSite, settings: Settings, suggested: float) -> Iterator[Report]:
    minimum = settings.min_read_timeout
    if config.has_splat:
        return  # **options may set it
    argument = config.option("read_timeout")
    if argument is None and config.positional:
        # Config(300): the 300 is the region (BDR004, whose fix makes it read_timeout).
        yield Report(
            "BDR001",
            client.call,
            f"{_describe(client)} Config sets no read_timeout (botocore's {BOTOCORE_READ_TIMEOUT} s, too short); "
            f"add read_timeout={_seconds(suggested)}",
        )
        return
    if argument is None:
        new_config = call_with_keyword(config.call, "read_timeout", cst.Integer(_seconds(suggested)) if float(suggested).is_integer() else cst.Float(str(suggested)))
        if config.keyword("connect_timeout") is None:
            new_config = call_with_keyword(new_config, "connect_timeout", cst.parse_expression(_seconds(settings.connect_timeout)))
        yield Report(
            "BDR001",
            client.call,
            f"{_describe(client)} Config sets no read_timeout (botocore's {BOTOCORE_READ_TIMEOUT} s, too short); "
            f"add read_timeout={_seconds(suggested)}",
            FixProposal(Applicability.SAFE, f"Add read_timeout={_seconds(suggested)} to the Config", [replace_node(index, config.call, new_config)]),
        )
        return
    literal = _literal_number(index, argument, config.scope)
    longest = longest_answer(index, client, settings)
    if literal is not None and longest is not None and literal.value >= longest:  # type: ignore[operator]
        return  # below the minimum, but every call this client makes is answered in time
    if literal is not None and literal.value < minimum:  # type: ignore[operator]
        yield Report(
            "BDR001",
            argument,
            f"read_timeout={_seconds(literal.value)} s for this {_describe(client)} is too short for long answers; "  # type: ignore[arg-type]
            f"use {_seconds(suggested)} or more",
            _raise_literal_fix(index, literal, suggested, "read_timeout", argument),
        )


def _raise_literal_fix(index: ModuleIndex, literal: Literal, minimum: float, name: str, argument: cst.Arg) -> FixProposal | None:
    # Only a literal written at the argument itself: a constant or parameter may also
    # feed other code (an HTTP timeout), which a safe fix must not change.
    if literal.node is not argument.value or not isinstance(literal.node, (cst.Integer, cst.Float)):
        return None
    return FixProposal(
        Applicability.SAFE,
        f"Set {name} to {_seconds(minimum)}",
        [replace_node(index, literal.node, _seconds(minimum))],
    )


# --------------------------------------------------------------------------- BDR002
@rule(
    code="BDR002",
    name="client-no-retry-mode",
    severity=Severity.WARNING,
    summary="Bedrock client without an explicit retry mode",
    why="""
        Without `Config(retries={"mode": …})` the retry mode comes from `AWS_RETRY_MODE`,
        the config file, or botocore's default — and that default changed: `legacy` up to
        botocore 1.43 (5 attempts, throttling retried only with HTTP 400/429) and `standard`
        from 1.44 (3 attempts). The same code therefore retries differently depending on the
        installed botocore. `adaptive` adds client-side rate limiting, which suits Bedrock's
        tokens-per-minute throttling. AnthropicBedrock with `max_retries=0` never retries a
        429 or 5xx. Strands `BedrockModel` without `boto_client_config` builds a Config with
        no retry mode (its fix keeps Strands' 120 s read timeout); LlamaIndex sets
        `mode: standard` itself unless `botocore_config` is given. langchain-aws
        `ChatBedrock`/`ChatBedrockConverse` given `timeout=` or `max_retries=` replace the
        Config's `retries` (with `None`, or `{"max_attempts": …}` without a mode), so the
        timeouts and the retry mode belong together in `config=Config(…)`. LiteLLM and
        pydantic-ai retries are not judged. A `Config` passed to a helper of the module
        that builds the client is judged where it is written.
        Source: docs/facts.md §1.2, §2.7, §2.8, §5.1, §5.2,
        §5.5.
    """,
    bad="""
        import boto3
        from botocore.config import Config

        client = boto3.client("bedrock-runtime", config=Config(read_timeout=300))
    """,
    good="""
        import boto3
        from botocore.config import Config

        client = boto3.client("bedrock-runtime", config=Config(read_timeout=300, retries={"mode": "adaptive", "max_attempts": 5}))
    """,
    fix="safe",
    fix_safety="""
        Adds `retries={"mode": "adaptive", "max_attempts": 5}` (both configurable) to the
        client's `Config`, or `"mode"` to an existing retries dict. This makes explicit a
        retry policy the client already had under some botocore version.
    """,
    options=("retry-mode", "retry-max-attempts"),
)
def client_no_retry_mode(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    for client in _claude_clients(index):
        what = _describe(client)
        entry = client.entry
        if entry is not None:
            option = entry.retries
            if option is not None and option.zero_disables and option.keyword:
                retries = client.keyword(option.keyword)
                literal = _literal_number(index, retries, client.scope)
                if retries is not None and literal is not None and literal.value == 0:
                    default = f"keep the SDK default ({option.default_attempts})" if option.default_attempts is not None else "allow retries"
                    yield Report(
                        "BDR002",
                        retries,
                        f"{what} has {option.keyword}=0, so throttling fails at once; {default} or set more",
                    )
            if option is None or (entry.config_keyword is None and option.mode_without_config is None and not (
                entry.timeout is not None and entry.timeout.default is not None and entry.timeout.advice
            )):
                continue  # no botocore Config to set, or the library's retry behaviour is not known: silent
            timeout, retries = _library_overrides(client)
            if entry.timeout is not None and entry.timeout.with_config == "merged" and (timeout is not None or retries is not None):
                given = option.keyword if retries is not None else "timeout"
                replaced_by = '{"max_attempts": …}' if retries is not None else "None"
                yield Report(
                    "BDR002",
                    retries or timeout,  # type: ignore[arg-type]
                    fitting(
                        f"{what} {given}= replaces the Config's retries (with {replaced_by}); put the timeouts and "
                        "a retry mode in config=Config(…)",
                        f"{what} {given}= replaces the Config's retries; put the timeouts and a retry mode in config=Config(…)",
                    ),
                )
                continue
            if client.config_state == "absent" and option.mode_without_config is not None:
                continue  # the library sets a retry mode itself (LlamaIndex: standard)
            if client.config_state == "absent" and entry.timeout is not None and entry.timeout.default is not None:
                if entry.config_keyword is None:
                    advice = (entry.timeout.advice or "").format(config=f'retries={{"mode": "{settings.retry_mode}", …}}')
                    fix = None
                else:
                    advice = f"pass {entry.config_keyword}=Config({_retries_argument(settings)})"
                    fix = _add_config_fix(index, client, settings, timeouts=False, retries=True)
                yield Report(
                    "BDR002",
                    client.call,
                    fitting(f"{what} sets no retry mode (the library's Config has none); {advice}", f"{what} sets no retry mode; {advice}"),
                    fix,
                )
                continue
        if client.config_state == "absent":
            keyword = entry.config_keyword if entry is not None else "config"
            yield Report(
                "BDR002",
                client.call,
                f"{what} sets no retry mode; pass {keyword}=Config({_retries_argument(settings)})",
                _add_config_fix(index, client, settings, timeouts=False, retries=True),
            )
        elif client.config_state == "known" and client.config is not None:
            yield from _unsafe_if_shared(index, client.config, _check_config_retries(index, client, client.config, settings))
        else:
            for config in _configs_passed_to_helper(index, client):
                yield from _check_config_retries(index, client, config, settings)


def _check_config_retries(index: ModuleIndex, client: ClientSite, config: ConfigSite, settings: Settings) -> Iterator[Report]:
    if config.has_splat:
        return
    argument = config.option("retries")
    if argument is None and config.positional:
        # Positional arguments (BDR004) are fixed first; the retry mode is missing anyway.
        yield Report("BDR002", client.call, f"{_describe(client)} Config sets no retry mode; add {_retries_argument(settings)}")
        return
    if argument is None:
        new_config = call_with_keyword(config.call, "retries", cst.parse_expression(_retries_argument(settings).split("=", 1)[1]))
        yield Report(
            "BDR002",
            client.call,
            f"{_describe(client)} Config sets no retry mode; add {_retries_argument(settings)}",
            FixProposal(Applicability.SAFE, "Add an explicit retry mode to the Config", [replace_node(index, config.call, new_config)]),
        )
        return
    value: Value = index.resolve(argument.value, config.scope)
    if isinstance(value, Literal) and value.value is None:
        yield Report(
            "BDR002",
            argument,
            f"retries=None for this {_describe(client)} sets no retry mode; use {_retries_argument(settings)}",
        )
        return
    if not isinstance(value, DictValue) or not value.complete or "mode" in value.entries:
        return
    fix = None
    if value.literal is not None and value.literal is argument.value:
        new_dict = dict_with_entry(value.literal, "mode", cst.SimpleString(f'"{settings.retry_mode}"'))
        fix = FixProposal(Applicability.SAFE, f'Add "mode": "{settings.retry_mode}" to retries', [replace_node(index, value.literal, new_dict)])
    yield Report(
        "BDR002",
        argument,
        f'retries for this {_describe(client)} sets no mode; add "mode": "{settings.retry_mode}"',
        fix,
    )


# --------------------------------------------------------------------------- BDR003
@rule(
    code="BDR003",
    name="hardcoded-region",
    severity=Severity.WARNING,
    summary="AWS region written as a literal for a Bedrock client",
    why="""
        A literal region pins the code to one region: it cannot follow the deployment
        (Lambda sets `AWS_REGION`/`AWS_DEFAULT_REGION`), fail over, or use a region where
        the model or quota is available. Test modules are not reported: a test pins
        the region it runs in on purpose. Note that boto3 itself reads `AWS_DEFAULT_REGION`,
        not `AWS_REGION`, and raises `NoRegionError` when no region is found, so a literal
        is often added to make that error go away. Reading the region from the environment
        with the literal as a fallback keeps the default and removes the pin. A helper
        of the module that builds the client from its parameter
        (`get_bedrock_client(region="us-west-2")`) is reported at each call that passes
        a literal, where the fix goes.
        Source: docs/facts.md §1.4, §2.7, §2.8.
    """,
    bad="""
        import boto3

        client = boto3.client("bedrock-runtime", region_name="us-east-1")
    """,
    good="""
        import os
        import boto3

        client = boto3.client("bedrock-runtime", region_name=os.environ.get("AWS_REGION", "us-east-1"))
    """,
    fix="unsafe",
    fix_safety="""
        Replaces the literal (where it is written, e.g. a module constant) with
        `os.environ.get("AWS_REGION", "<literal>")`. Unsafe: when `AWS_REGION` is set to a
        different region, the code now runs there — which may change the models, quotas and
        prices it sees. In a fix run it is applied after every other fix: the model-id fixes
        (BDR104's profile prefix, a successor reached through a profile) read the literal
        region to know the geography. A client that sends geographic profile ids (`us.`,
        `eu.` …) gets no fix: those ids only work from a region of their geography, and a
        region taken from the environment may lie elsewhere (a region and a profile must
        stay consistent). Use a `global.` profile, or keep the region.
    """,
    options=("region-env-var",),
    fix_applied_last=True,
)
def hardcoded_region(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    if is_test_module(index.filename):
        return  # tests pin the region they run in on purpose; they are not deployed
    seen: set[int] = set()
    for client in _claude_clients(index):
        for argument, scope, place in _region_arguments(client):
            if id(argument) in seen:
                continue
            seen.add(id(argument))
            value = index.resolve(argument.value, scope)
            if not _is_region(value):
                # The helper's parameter: judged at each of this module's calls that
                # passes a literal (get_client(region="us-west-2")).
                yield from _region_passed_to_helper(index, client, argument, scope, settings, seen)
                continue  # a placeholder ("<<region-name>>", "YOUR_REGION") is not a region anyone deploys to
            region = value.value  # type: ignore[union-attr]
            via = "" if argument.value is value.node else f" (via {index.code_for(argument.value).strip()})"  # type: ignore[union-attr]
            geography = _geographic_profile(index, client)
            if geography is not None:
                # The client's profile ids (us., eu. …) only work from a region of their
                # geography: moving the region to the environment could break them, and
                # no fix may leave a profile tied to a region it moved (rules.md).
                yield Report(
                    "BDR003",
                    argument.value,
                    fitting(
                        f'region "{region}" is hard-coded{via}; no fix: the client sends {geography} profile ids, '
                        f"which need a region of that geography",
                        f'region "{region}" is hard-coded; no fix: the client sends {geography} profile ids',
                    ),
                )
                continue
            yield Report(
                "BDR003",
                argument.value,
                fitting(
                    f'region "{region}" is hard-coded{via} for {place}; use os.environ.get("{settings.region_env_var}", "{region}")',
                    f'region "{region}" is hard-coded{via}; use os.environ.get("{settings.region_env_var}", "{region}")',
                    f'region "{region}" is hard-coded; use os.environ.get("{settings.region_env_var}", "{region}")',
                ),
                _region_fix(index, value, settings),
            )


def _unsafe_if_shared(index: ModuleIndex, config: ConfigSite, reports: Iterator[Report]) -> Iterator[Report]:
    """A fix that edits a ``Config`` other clients of the module also receive (S3,
    DynamoDB …) would change them too: it is unsafe then, and says so (issue 22, M1)."""
    others = other_config_consumers(index, config)
    for report in reports:
        edits_config = report.fix is not None and any(
            edit.node is not None and contains(config.call, edit.node) for edit in report.fix.edits
        )
        if others and edits_config:
            names = ", ".join(sorted({index.code_for(call.func) for call in others}))
            fix = report.fix
            assert fix is not None
            report.fix = replace(fix, applicability=Applicability.UNSAFE, message=f"{fix.message} (also used by {names})")
        yield report


def _configs_passed_to_helper(index: ModuleIndex, client: ClientSite) -> Iterator[ConfigSite]:
    """A client built from a helper's parameter (``config=config``): the ``Config(…)``
    each of this module's calls of the helper passes (findings then point there)."""
    entry = client.entry
    keyword = entry.config_keyword if entry is not None else "config"
    argument = client.keyword(keyword) if keyword else None
    parameter = parameter_behind(index, argument.value, client.scope) if argument is not None else None
    if parameter is None:
        return
    seen: set[int] = set()
    for passed, site in index.arguments_for(*parameter):
        config = config_of(index, passed.value, site.scope)
        if config is not None and id(config) not in seen:
            seen.add(id(config))
            yield config


def _is_region(value: Value) -> bool:
    return isinstance(value, Literal) and isinstance(value.value, str) and bool(AWS_REGION_PATTERN.match(value.value))


def _region_passed_to_helper(
    index: ModuleIndex, client: ClientSite, argument: cst.Arg, scope, settings: Settings, seen: set[int]
) -> Iterator[Report]:
    """A client built from a function's parameter (``region_name=region``): each call of
    the function in this module that passes a literal region is reported at the argument."""
    if _geographic_profile(index, client) is not None:
        return
    for value, passed, site in passed_literals(index, argument.value, scope):
        if id(passed) in seen or not _is_region(value):
            continue
        seen.add(id(passed))
        helper = index.code_for(site.call.func)
        region = value.value  # type: ignore[union-attr]
        yield Report(
            "BDR003",
            passed.value,
            fitting(
                f'region "{region}" passed to {helper}() is hard-coded for the {_describe(client)} it builds; '
                f'use os.environ.get("{settings.region_env_var}", "{region}")',
                f'region "{region}" passed to {helper}() is hard-coded; use os.environ.get("{settings.region_env_var}", "{region}")',
                f'region "{region}" is hard-coded; use os.environ.get("{settings.region_env_var}", "{region}")',
            ),
            _region_fix(index, value, settings),  # type: ignore[arg-type]
        )


def _geographic_profile(index: ModuleIndex, client: ClientSite) -> str | None:
    """The geography prefix (``us.``, ``eu.`` …, not ``global.``) of a model id this
    client sends, written as a literal."""
    values = [op.model for op in client.operations] + [client.model]
    for value in values:
        text = model_text(value)
        prefix = split_profile(text).prefix if text else None
        if prefix and prefix != "global.":
            return prefix
    return None


_REGION_PLACES = {"client": "this {what}", "session": "the session of this {what}", "config": "the Config of this {what}"}


def _region_arguments(client: ClientSite) -> Iterator[tuple[cst.Arg, object, str]]:
    what = _describe(client)
    for argument, scope, where in client.region_arguments():
        yield argument, scope, _REGION_PLACES[where].format(what=what)


def _region_fix(index: ModuleIndex, literal: Literal, settings: Settings) -> FixProposal | None:
    if not isinstance(literal.node, cst.SimpleString):
        return None
    os_name, import_edits = import_module(index, "os", used_at=literal.node, fallback_alias="os_module")
    if os_name is None:
        return None
    variable = string_literal_like(settings.region_env_var, literal.node)
    replacement = f"{os_name}.environ.get({variable}, {literal.node.value})"
    return FixProposal(
        Applicability.UNSAFE,
        f"Read the region from {settings.region_env_var} with {literal.node.value} as the fallback",
        [replace_node(index, literal.node, replacement), *import_edits],
    )


# --------------------------------------------------------------------------- BDR004
_OPTION_TYPES: dict[str, tuple[type, ...]] = {
    "region_name": (str,),
    "signature_version": (str,),
    "user_agent": (str,),
    "user_agent_extra": (str,),
    "user_agent_appid": (str,),
    "connect_timeout": (int, float),
    "read_timeout": (int, float),
    "parameter_validation": (bool,),
    "max_pool_connections": (int,),
    # aiobotocore's AioConfig(connector_args=None, http_session_cls=…, **botocore options)
    "connector_args": (dict,),
}
AIO_CONFIG_POSITIONAL_ORDER = ("connector_args", "http_session_cls")
# Names of values that are clearly meant as another option (`settings.read_timeout`).
_NAME_HINTS = (
    ("read_timeout", "read_timeout"),
    ("connect_timeout", "connect_timeout"),
    ("max_pool_connections", "max_pool_connections"),
    ("timeout", None),
    ("retries", "retries"),
    ("max_attempts", None),
)
_NUMBER_CONVERTERS = ("int", "float")
RETRY_KEYS = frozenset({"max_attempts", "total_max_attempts", "mode"})


@rule(
    code="BDR004",
    name="config-positional-arg",
    severity=Severity.ERROR,
    summary="Positional argument to botocore Config lands in the wrong option",
    why="""
        `botocore.config.Config` takes its options positionally in the order
        `region_name, signature_version, user_agent, user_agent_extra, user_agent_appid,
        connect_timeout, read_timeout, …`. `Config(300)` therefore sets `region_name=300`,
        not a timeout, and the client silently keeps the 60 s read timeout (verified
        locally with botocore 1.44.5; seen in the wild as `Config(BotoClient.read_timeout)`).
        Source: docs/facts.md §1.1.
    """,
    bad="""
        import boto3
        from botocore.config import Config

        client = boto3.client("bedrock-runtime", config=Config(300))
    """,
    good="""
        import boto3
        from botocore.config import Config

        client = boto3.client("bedrock-runtime", config=Config(read_timeout=300, retries={"mode": "adaptive"}))
    """,
    fix="safe",
    fix_safety="""
        A lone numeric positional (or one whose name says which option it is, like
        `settings.read_timeout`) becomes `read_timeout=` (or that option). The code meant a
        timeout; as written it set an invalid region.
    """,
)
def config_positional_arg(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    botocore_order = config_positional_order()
    for config in index.configs.values():
        class_name = config.qualified_name.rsplit(".", 1)[-1]
        order = AIO_CONFIG_POSITIONAL_ORDER if class_name == "AioConfig" else botocore_order
        positional = config.positional
        for position, argument in enumerate(positional):
            option = order[position] if position < len(order) else None
            value = index.resolve(argument.value, config.scope)
            kind = _value_kind(value, argument.value, index, config)
            hinted, exact = _hinted_option(argument.value)
            if not _misplaced(option, kind, hinted):
                if not (option == "region_name" and kind == "str" and not AWS_REGION_PATTERN.match(value.value)):  # type: ignore[union-attr]
                    continue
            meant = hinted or ("read_timeout" if kind == "number" else None)
            if kind == "dict" and option == "region_name" and isinstance(value, DictValue) and value.entries and set(value.entries) <= RETRY_KEYS:
                meant, exact = "retries", True
            lands = f"`{option}`" if option else "no option (too many positional arguments)"
            written = index.code_for(argument.value).strip()
            if meant is not None:
                advice = f"sets {lands}, not `{meant}`; pass {meant}={written}"
                short = f"sets {lands}, not `{meant}`; pass it as {meant}="
            else:
                advice = short = f"sets {lands}; pass options by keyword"
            # A literal or int()/float() number, or a name that says exactly which option;
            # not an environment read (a string whenever the variable is set).
            fixable = len(positional) == 1 and meant is not None and (
                exact or (kind == "number" and not isinstance(value, EnvironmentValue))
            )
            yield Report(
                "BDR004",
                argument,
                fitting(f"positional argument {written} to {class_name} {advice}", f"this positional argument to {class_name} {short}"),
                _keyword_fix(index, config, argument, meant) if fixable else None,  # type: ignore[arg-type]
            )


def _value_kind(value: Value, expression: cst.BaseExpression, index: ModuleIndex, config: ConfigSite) -> str | None:
    """"number", "str", "bool", "none", "dict", "list", or None when unknown."""
    if isinstance(value, Literal):
        if value.value is None:
            return "none"
        if isinstance(value.value, bool):
            return "bool"
        if value.is_number:
            return "number"
        if isinstance(value.value, str):
            return "str"
        return None
    if isinstance(value, DictValue):
        return "dict"
    if isinstance(value, ListValue):
        return "list"
    if isinstance(value, EnvironmentValue):
        fallback = value.fallback
        return "number" if isinstance(fallback, Literal) and fallback.is_number else None
    if isinstance(expression, cst.Call):
        name = index.resolver.qualified_name(expression.func, config.scope)
        if name in _NUMBER_CONVERTERS:
            return "number"
    return None


_KIND_TYPES = {"number": (int, float), "str": (str,), "bool": (bool,), "dict": (dict,), "list": (list,)}


def _hinted_option(expression: cst.BaseExpression) -> tuple[str | None, bool]:
    """The option a value's name says it is (`settings.read_timeout` -> read_timeout),
    and whether the name says it exactly (only then is a fix offered)."""
    name = expression.attr.value if isinstance(expression, cst.Attribute) else expression.value if isinstance(expression, cst.Name) else None
    if name is None:
        return None, False
    lowered = name.lower()
    for hint, option in _NAME_HINTS:
        if hint in lowered:
            return option or "read_timeout", option is not None and lowered.endswith(hint)
    return None, False


def _misplaced(option: str | None, kind: str | None, hinted: str | None) -> bool:
    if option is None:
        return True
    if hinted is not None and hinted != option:
        return True
    if kind is None or kind == "none":
        return False  # unknown, or None: the option's own default
    expected = _OPTION_TYPES.get(option)
    if expected is None:
        return False
    if kind == "bool":
        return bool not in expected
    return not any(t in expected for t in _KIND_TYPES[kind])


def _keyword_fix(index: ModuleIndex, config: ConfigSite, argument: cst.Arg, option: str) -> FixProposal | None:
    if config.keyword(option) is not None:
        return None
    new_argument = argument.with_changes(
        keyword=cst.Name(option),
        equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
    )
    return FixProposal(Applicability.SAFE, f"Pass it as {option}=", [replace_node(index, argument, new_argument)])


# --------------------------------------------------------------------------- BDR005
@rule(
    code="BDR005",
    name="client-per-request",
    severity=Severity.WARNING,
    summary="Bedrock client built inside a request path (handler, route, UI callback, loop)",
    why="""
        Creating a boto3 client loads the service model, resolves credentials and opens a
        new connection pool; the first call on it pays a TLS handshake. Built inside a
        Lambda handler, a web route, a Streamlit/Gradio/Chainlit callback or a loop body, it
        is rebuilt on every request or iteration, adding latency and losing connection
        reuse. Build it once — at module level, in `__init__`, or in a cached factory
        (`functools.lru_cache`, `st.cache_resource`) — and reuse it; clients are thread-safe.
    """,
    bad="""
        import boto3

        def lambda_handler(event, context):
            client = boto3.client("bedrock-runtime")
            return client.converse(modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0", messages=event["messages"])
    """,
    good="""
        import boto3

        client = boto3.client("bedrock-runtime")

        def lambda_handler(event, context):
            return client.converse(modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0", messages=event["messages"])
    """,
    known_problems="""
        A helper function that builds a client is followed one level, within the module:
        a module-level function called from a handler, its client and the result of the
        call not stored for reuse (a helper that assumes a role builds a client for each
        caller's credentials on purpose, and is left alone). A helper of a helper, a
        method, and a helper imported from another module are not followed.
    """,
)
def client_per_request(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    for client in _claude_clients(index):
        if client.entry is not None and not client.entry.builds_client:
            continue  # LiteLLM completion(), an Agent model string: no client of its own is built
        if client.entry is not None and any(client.keyword(name) is not None for name in client.entry.client_keywords):
            continue  # ChatBedrock(client=runtime): the boto3 client it is handed is reused
        path = client_request_path(client, index)
        if path is None:
            helper = client_helper_request_path(client, index)
            if helper is not None:
                yield Report("BDR005", client.call, _helper_message(client, helper))
            continue
        if path.kind == "loop":
            where = "inside a loop body; every iteration"
        else:
            where = f"inside {path.description}; every request"
        yield Report(
            "BDR005",
            client.call,
            fitting(
                f"{_describe(client)} is created {where} pays for a new one; create it once and reuse it",
                f"{_describe(client)} is created {where.split(';')[0]}; create it once and reuse it",
                f"{_describe(client)} is created per {'iteration' if path.kind == 'loop' else 'request'}; create it once and reuse it",
            ),
        )


def _helper_message(client: ClientSite, helper: HelperCall) -> str:
    called = f"{_describe(client)} is created in `{helper.helper}`, which {helper.path.description} calls"
    return fitting(
        f"{called}: every request pays for a new one; create it once and reuse it",
        f"{called}; create it once and reuse it",
        f"{_describe(client)} is created per request (in `{helper.helper}`); create it once and reuse it",
    )


# --------------------------------------------------------------------------- BDR006
@rule(
    code="BDR006",
    name="retry-without-backoff",
    severity=Severity.WARNING,
    summary="Hand-written retry loop around a Bedrock call with no backoff, a constant sleep, or no attempt cap",
    why="""
        Bedrock throttles per account and model (tokens and requests per minute). A retry
        loop that retries at once or after a fixed sleep sends every waiting client back in
        lockstep and keeps the quota exhausted; one without an attempt cap spins forever on
        a persistent error. botocore's own standard/adaptive retry already backs off
        exponentially with jitter (`rand(0,1) * min(base * 2**i, 20 s)`) and honours
        `x-amz-retry-after`. Source: docs/facts.md §1.2.
    """,
    bad="""
        import time
        import boto3
        from botocore.exceptions import ClientError

        client = boto3.client("bedrock-runtime")

        def ask(messages):
            while True:
                try:
                    return client.converse(modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0", messages=messages)
                except ClientError:
                    time.sleep(2)
    """,
    good="""
        import random
        import time
        import boto3
        from botocore.exceptions import ClientError

        client = boto3.client("bedrock-runtime")

        def ask(messages):
            for attempt in range(6):
                try:
                    return client.converse(modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0", messages=messages)
                except ClientError:
                    time.sleep(min(20, 2 ** attempt) * random.random())
            raise RuntimeError("Bedrock kept throttling")
    """,
)
def retry_without_backoff(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    claude_clients = {id(client) for client in _claude_clients(index)}
    for retry in find_retry_loops(index):
        client, call = retry.operation.client, retry.operation
        if client is not None and client.origin is None and id(client) not in claude_clients:
            continue  # waits around an imported Llama model are not this rule's business
        # A client imported from another module of the project is judged by the calls
        # made here: the loop is in this module, so is the fix.
        if _reaches_only_other_models(index, call):
            continue
        operation = retry.operation.operation
        problems = []
        node: cst.CSTNode = retry.handler
        if not retry.capped:
            problems.append("is unbounded")
            node = retry.loop.test if isinstance(retry.loop, cst.While) else retry.loop.iter
        if not retry.sleeps_at_all:
            problems.append("does not wait")
        elif retry.only_constant_sleeps:
            delays = sorted({_seconds(delay) for _, delay in retry.constant_sleeps})
            problems.append(f"sleeps a constant {' / '.join(delays)} s")
            if retry.capped:
                node = retry.constant_sleeps[0][0].call
        if not problems:
            continue
        yield Report(
            "BDR006",
            node,
            f"retry loop around {operation}() {' and '.join(problems)}; back off exponentially with jitter and a cap",
        )
