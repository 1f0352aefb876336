"""What a request must change to be valid for a model: the one place that computes the
request edits of the BDR5xx fixes (BDR501 drop ``top_p``, BDR502 remove a rejected
sampling value, BDR503 lower ``max_tokens`` to the cap, BDR505 use the model's tool
versions and computer-use beta) and of the model-id fixes, which carry them when they
move a request to another model (rules.md, "Model-id fixes carry the request changes";
docs/facts.md §10.9, the upgrade-fix checklist).

:func:`fit_request` lists, for one request and one catalog model, each change the model
needs (with its rewrites when the edit is mechanical: the value is a literal written at
the call, in a dict written there or in the InvokeModel body literal) and what blocks a
fix (an assistant prefill, an edit that is not mechanical, a fact the catalog marks
uncertain).  Facts: docs/facts.md §10.1–§10.5.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst

from bedrock_lint.analysis.conversation import last_turn
from bedrock_lint.analysis.requests import Field, Request, literal_int, literal_number
from bedrock_lint.analysis.sites import ModuleIndex
from bedrock_lint.analysis.values import DictValue, JsonText, ListValue, Literal, positional_arguments
from bedrock_lint.catalog.models import ClaudeModel, ValueRange, load_catalog
from bedrock_lint.fixes.builders import Rewrite, call_without_keyword, dict_without_entry, string_literal_like
from bedrock_lint.settings import Settings

# How the catalog calls a parameter the model no longer accepts (400 "`X` is deprecated
# for this model." for any value outside its window).
REMOVED = "deprecated-rejected"
# The exact window a removed parameter still accepts is marked uncertain in the catalog
# for most models (docs/facts.md §10.1: "uncertain on exact accepted window"; Anthropic
# reportedly allows top_p 0.95–1 in places).  A value this close to the window rests on
# that uncertain edge, so it is a warning; a value further out rests only on the
# parameter being removed.
WINDOW_EDGE = 0.05
# Anthropic-defined tool types: ``computer_20250124``, ``text_editor_20250728``, ``bash_…``.
TOOL_TYPE = re.compile(r"^(?P<tool>computer|text_editor|bash)_(?P<date>\d{8})$")
# The text editor's name changes with its version, and both must change together
# ("changing only the type and keeping name str_replace_editor returns a 400",
# docs/facts.md §10.5).
TEXT_EDITOR_NAMES = {
    "text_editor_20241022": "str_replace_editor",
    "text_editor_20250124": "str_replace_editor",
    "text_editor_20250429": "str_replace_based_edit_tool",
    "text_editor_20250728": "str_replace_based_edit_tool",
}
COMPUTER_USE_BETA = "computer-use-"
# Requests whose message list the request itself carries (library models built once
# take their messages per call: LangChain .invoke(…), Strands Agent(…)).
MESSAGE_APIS = ("converse", "invoke", "messages", "litellm")


# ------------------------------------------------------------------ values and facts
def is_set(found: Field | None) -> bool:
    """A field that sends something: present and not a literal None (a library keyword
    given None sends nothing)."""
    return found is not None and not (isinstance(found.value, Literal) and found.value.value is None)


def number_text(value: float) -> str:
    """A sampling value as people write it: ``0.2``, ``1.0``, ``0``."""
    return str(value)


def window_text(accepted: ValueRange, name: str = "x") -> str:
    """``0–1``, ``1``, or ``0.99 ≤ top_p < 1``."""
    if accepted.min == accepted.max:
        return number_text(accepted.min)
    if accepted.max_exclusive:
        return f"{number_text(accepted.min)} ≤ {name} < {number_text(accepted.max)}"
    return f"{number_text(accepted.min)}–{number_text(accepted.max)}"


def rejected_value(model: ClaudeModel, parameter: str, found: Field | None) -> tuple[str, bool] | None:
    """(why the model rejects the value of ``found``, whether that rests on an uncertain
    fact); None when the model takes it or the value is not known."""
    if not is_set(found) or model.constraints is None:
        return None
    assert found is not None
    constraints = model.constraints
    sampling = constraints.sampling
    status = getattr(sampling, parameter)
    status_uncertain = constraints.is_uncertain(f"sampling.{parameter}")
    if parameter == "top_k":
        if status != REMOVED:
            return None
        return "no longer accepts top_k", status_uncertain
    value = literal_number(found.value)
    if value is None:
        return None
    accepted = sampling.temperature_range if parameter == "temperature" else sampling.top_p_range
    if accepted.contains(value):
        return None
    near = accepted.min - WINDOW_EDGE <= value <= accepted.max + WINDOW_EDGE
    window_uncertain = constraints.is_uncertain(f"sampling.{parameter}_range") and near
    if status == REMOVED:
        if accepted.min == accepted.max:
            reason = f"accepts only {parameter}={number_text(accepted.min)} or unset"
        else:
            reason = f"accepts only {window_text(accepted, parameter)} or unset"
    else:
        reason = f"accepts {parameter} in {window_text(accepted)}"
    return reason, status_uncertain or window_uncertain


def output_cap(model: ClaudeModel, request: Request) -> tuple[int, bool] | None:
    """The model's output cap for this request (a beta may raise it) and whether it is
    uncertain; None when not known (or the betas sent cannot be read)."""
    cap = model.output_cap
    if cap.value is None:
        return None
    by_beta = model.constraints.max_output_tokens_by_beta if model.constraints else {}
    if by_beta:
        sent = request.anthropic_beta()
        if request.field_of("anthropic_beta") is not None and not sent:
            return None  # betas we cannot read may raise the cap
        raised = [value for name, value in by_beta.items() if name in sent]
        if raised:
            return max(raised), cap.uncertain
    return cap.value, cap.uncertain


def certain_output_cap(model: ClaudeModel, request: Request) -> int | None:
    """The largest ``max_tokens`` the model certainly accepts for this request (what a fix
    may lower to, or keep): its cap when certain, else the bound every source lets
    through (``max_output_tokens_certain``); None when not known.  A fix never rests on
    an uncertain cap: Sonnet 4.6's is 128,000 in later sources, 64,000 in earlier ones."""
    cap = output_cap(model, request)
    if cap is None:
        return None
    if not cap[1]:
        return cap[0]
    certain = model.max_output_tokens_certain
    return min(certain, cap[0]) if certain is not None else None


def messages_of(request: Request):
    """The message list's expression and scope: the ``messages`` field, or LiteLLM's
    second positional argument."""
    found = request.fields.get("messages")
    if found is not None:
        return found.value_node, found.scope
    if request.api == "litellm" and request.client is not None:
        positional = positional_arguments(request.call)
        if len(positional) > 1 and not any(a.star for a in positional[:2]):
            return positional[1].value, request.client.scope
    return None


def _literal_string(index: ModuleIndex, expr: cst.BaseExpression, scope) -> Literal | None:
    value = index.resolve(expr, scope)
    return value if isinstance(value, Literal) and isinstance(value.value, str) else None


# ------------------------------------------------------------------ edits
def _editable_dict(request: Request, found: Field) -> cst.Dict | None:
    """The dict literal holding ``found`` when a fix may edit it: a dict written at the
    call (``inferenceConfig={…}``, ``model_kwargs={…}``) or the InvokeModel body literal.
    A dict kept in a variable shared by other calls, a ``d["k"] = v`` update or a JSON
    string is not edited."""
    if found.key_node is None:
        return None
    literals: list[cst.Dict] = []
    for holder in request.fields.values():
        value = holder.value
        if isinstance(value, DictValue) and value.literal is not None and value.literal is holder.value_node:
            literals.append(value.literal)
    payload = request.body_value.payload if isinstance(request.body_value, JsonText) else request.body_value
    if isinstance(payload, DictValue) and payload.literal is not None:
        literals.append(payload.literal)
    for literal in literals:
        if any(isinstance(e, cst.DictElement) and e.key is found.key_node for e in literal.elements):
            return literal
    return None


def _call_argument(request: Request, found: Field) -> cst.Arg | None:
    """The keyword argument of the request's call that writes ``found``."""
    if found.key_node is None:
        return None
    return next((a for a in request.call.args if a.keyword is not None and a.keyword is found.key_node), None)


def _editable(request: Request, found: Field) -> bool:
    return _call_argument(request, found) is not None or _editable_dict(request, found) is not None


def removal(request: Request, found: Field) -> list[Rewrite] | None:
    """Rewrites that delete ``found`` from the request; None when not mechanical."""
    argument = _call_argument(request, found)
    if argument is not None:
        keyword = argument.keyword.value  # type: ignore[union-attr]
        return [Rewrite(request.call, lambda call: call_without_keyword(call, keyword))]  # type: ignore[arg-type]
    literal = _editable_dict(request, found)
    if literal is not None:
        name = found.name
        return [Rewrite(literal, lambda node: dict_without_entry(node, name))]  # type: ignore[arg-type]
    return None


def lowering(index: ModuleIndex, request: Request, found: Field, cap: int) -> list[Rewrite] | None:
    """The rewrite that writes ``cap`` in place of the literal, when the literal is
    written at the call or in a dict written there, and the lower value leaves the
    request valid (a thinking budget stays below it)."""
    node = found.value_node
    if not (isinstance(node, cst.Integer) and isinstance(found.value, Literal) and found.value.node is node):
        return None
    if not _editable(request, found):
        return None
    if request.thinking_type() not in (None, "disabled", "adaptive"):
        thinking = request.thinking()
        config = thinking.value if thinking is not None else None
        entry = config.entries.get("budget_tokens") if isinstance(config, DictValue) else None
        budget = literal_int(index.resolve(entry.value, entry.scope)) if entry is not None else None
        if budget is None or budget >= cap:
            return None  # BDR201 would then find budget_tokens ≥ max_tokens
    elif request.thinking() is not None and request.thinking_type() is None:
        return None  # a thinking configuration we cannot read
    text = f"{cap:_}" if "_" in node.value else str(cap)
    return [Rewrite(node, lambda old: old.with_changes(value=text))]  # type: ignore[attr-defined]


def _string_rewrite(node: cst.BaseExpression, text: str) -> Rewrite:
    return Rewrite(node, lambda old: old.with_changes(value=string_literal_like(text, old)))  # type: ignore[attr-defined]


def tool_version_rewrites(index: ModuleIndex, tool: DictValue, type_node: cst.BaseExpression, value: Literal, version: str) -> tuple[list[Rewrite], str] | None:
    """Rewrites that give a tool the model's ``version`` (a text editor's ``name`` with it)
    and what they do, in words; None when the literals are not written in the tool."""
    if value.node is not type_node or not isinstance(type_node, cst.SimpleString):
        return None
    rewrites = [_string_rewrite(type_node, version)]
    done = f"use {version!r}"
    old_name, new_name = TEXT_EDITOR_NAMES.get(str(value.value)), TEXT_EDITOR_NAMES.get(version)
    if old_name != new_name:
        entry = tool.entries.get("name")
        name = index.resolve(entry.value, entry.scope) if entry is not None else None
        if entry is None or not isinstance(name, Literal) or name.node is not entry.value or not isinstance(entry.value, cst.SimpleString):
            return None
        if name.value == old_name:
            rewrites.append(_string_rewrite(entry.value, str(new_name)))
            done += f" with the name {new_name!r}"
        elif name.value != new_name:
            return None
    return rewrites, done


def computer_use_beta(model: ClaudeModel, beta: str) -> str | None:
    """The model's own computer-use beta for another generation's ``beta``, when it has
    exactly one."""
    if not beta.startswith(COMPUTER_USE_BETA) or model.constraints is None:
        return None
    own = [b for b in model.constraints.betas if b.startswith(COMPUTER_USE_BETA)]
    return own[0] if len(own) == 1 else None


def list_items(found: Field | None) -> tuple:
    if found is None or not isinstance(found.value, ListValue):
        return ()
    return found.value.items


# ------------------------------------------------------------------ the fit
@dataclass(eq=False)
class RequestChange:
    """One thing the model rejects in the request, and the edit that fixes it."""

    node: cst.CSTNode  # what the BDR5xx finding points at
    action: str  # "drop top_p", "lower maxTokens to 64000" (for messages)
    reason: str  # "rejects temperature with top_p"
    rewrites: list[Rewrite] | None  # None: no mechanical edit
    uncertain: bool = False  # the fact behind it is marked uncertain in the catalog

    @property
    def blocks(self) -> bool:
        """Whether a model-id fix must wait: no mechanical edit, or a fact that may be
        wrong (a fix does not gamble)."""
        return self.rewrites is None or self.uncertain


@dataclass
class RequestFit:
    """What ``model`` needs changed in a request: the changes, and what no edit here
    fixes (what the model does, for messages: "rejects the assistant prefill at line 5")."""

    changes: list[RequestChange] = field(default_factory=list)
    obstacle: str | None = None

    def rewrites_for(self, node: cst.CSTNode) -> list[Rewrite] | None:
        """The rewrites of the change reported at ``node`` (a BDR5xx fix)."""
        return next((c.rewrites for c in self.changes if c.node is node), None)

    @property
    def blocked_by(self) -> str | None:
        """Why a model-id fix cannot carry the changes ("rejects temperature with top_p"),
        or None."""
        if self.obstacle is not None:
            return self.obstacle
        change = next((c for c in self.changes if c.blocks), None)
        if change is None:
            return None
        return change.reason + (" (uncertain)" if change.uncertain else "")


def catalog_betas(settings: Settings) -> frozenset[str]:
    """Every beta the catalog lists for some model (accepted, no effect, rejected)."""
    names: set[str] = set()
    for model in load_catalog(settings.catalog).models.values():
        if model.constraints is not None:
            c = model.constraints
            names.update(c.betas, c.betas_no_effect, c.betas_rejected, c.betas_conflicting)
    return frozenset(names)


def fit_request(index: ModuleIndex, request: Request, model: ClaudeModel, settings: Settings) -> RequestFit:
    """Everything ``model`` rejects in ``request`` and the edits that fix it (docs/facts.md
    §10.9): ``top_p`` dropped where ``temperature`` is set and the model rejects the pair,
    sampling values it does not accept removed, ``max_tokens`` lowered to its cap, budget
    thinking made adaptive on an adaptive-only model, its own tool versions and
    computer-use beta; an assistant prefill it rejects has no edit."""
    fit = RequestFit()
    if model.constraints is None:
        return fit
    _sampling_changes(request, model, fit)
    _max_tokens_change(index, request, model, fit)
    thinking_on = _thinking_change(request, model, fit)
    _tool_and_beta_changes(index, request, model, catalog_betas(settings), fit)
    _prefill_obstacle(index, request, model, thinking_on, fit)
    return fit


def _sampling_changes(request: Request, model: ClaudeModel, fit: RequestFit) -> None:
    constraints = model.constraints
    assert constraints is not None
    temperature, top_p = request.field_of("temperature"), request.field_of("top_p")
    rejected = {p: rejected_value(model, p, request.field_of(p)) for p in ("temperature", "top_p", "top_k")}
    if constraints.sampling.together == "rejected" and is_set(temperature) and is_set(top_p):
        if not rejected["temperature"] and not rejected["top_p"]:  # else the value goes anyway
            assert top_p is not None
            fit.changes.append(
                RequestChange(
                    top_p.node, f"drop {top_p.name}", "rejects temperature with top_p", removal(request, top_p),
                    constraints.is_uncertain("sampling.together"),
                )
            )
    for parameter, why in rejected.items():
        found = request.field_of(parameter)
        if why is not None and found is not None:
            value = literal_number(found.value)
            shown = found.name if parameter == "top_k" or value is None else f"{found.name}={number_text(value)}"
            fit.changes.append(RequestChange(found.node, f"drop {found.name}", f"rejects {shown}", removal(request, found), why[1]))


def _max_tokens_change(index: ModuleIndex, request: Request, model: ClaudeModel, fit: RequestFit) -> None:
    """``max_tokens`` above the model's cap lowered to it.  Where the cap is uncertain the
    edit goes to the bound every source lets through, and a value above that bound is
    lowered to it too (a fix does not keep a value only an uncertain cap allows); with
    no such bound, the change has no edit."""
    found = request.field_of("max_tokens")
    cap = output_cap(model, request) if found is not None else None
    value = literal_int(found.value) if found is not None else None
    if found is None or cap is None or value is None:
        return
    limit, uncertain = cap
    certain = certain_output_cap(model, request)
    if value <= limit and (not uncertain or certain is None or value <= certain):
        return
    if certain is None:  # above an uncertain cap nothing bounds
        fit.changes.append(RequestChange(found.value_node, f"lower {found.name}", f"caps output at {limit:,}", None, True))
        return
    reason = f"caps output at {limit:,}" if not uncertain else f"caps output at {certain:,} for certain, {limit:,} per uncertain sources"
    fit.changes.append(
        RequestChange(found.value_node, f"lower {found.name} to {certain}", reason, lowering(index, request, found, certain))
    )


def _thinking_change(request: Request, model: ClaudeModel, fit: RequestFit) -> bool:
    """Budget thinking on a model that accepts only adaptive thinking becomes
    ``{"type": "adaptive"}`` (the catalog gives no budget → effort mapping, so the
    model's default effort applies).  Returns whether thinking stays on."""
    kind = request.thinking_type()
    if kind in (None, "disabled"):
        return False
    modes = model.constraint("thinking.modes")
    if modes.value is None or kind in modes.value:
        return True
    found = request.thinking()
    assert found is not None
    rewrites = None
    if kind == "enabled" and "adaptive" in modes.value and found.name == "thinking" and isinstance(found.value_node, cst.Dict):
        if isinstance(found.value, DictValue) and found.value.literal is found.value_node and _editable(request, found):
            quote = string_literal_like("x", found.value_node.elements[0].key if found.value_node.elements else None)[0]
            text = f"{{{quote}type{quote}: {quote}adaptive{quote}}}"
            rewrites = [Rewrite(found.value_node, lambda old: cst.parse_expression(text))]
    reason = "accepts only adaptive thinking" if "adaptive" in modes.value else f"rejects thinking type {kind!r}"
    action = "make thinking adaptive" if rewrites else "change the thinking configuration"
    fit.changes.append(RequestChange(found.value_node, action, reason, rewrites, modes.uncertain))
    return bool(modes.value)


def _tool_and_beta_changes(index: ModuleIndex, request: Request, model: ClaudeModel, known: frozenset[str], fit: RequestFit) -> None:
    constraints = model.constraints
    assert constraints is not None
    without_effect: list[tuple[cst.BaseExpression, str]] = []
    for item, scope in list_items(request.field_of("anthropic_beta")):
        value = _literal_string(index, item, scope)
        if value is None:
            continue
        beta = str(value.value)
        if beta in constraints.betas_no_effect:
            without_effect.append((item, beta))
            continue
        if beta in constraints.betas:
            continue
        if beta in constraints.betas_rejected:
            continue  # rejected on every model: not something the move changes (BDR505's)
        uncertain = "betas" in constraints.uncertain or constraints.is_uncertain(f"betas.{beta}")
        if beta in constraints.betas_conflicting:
            fit.changes.append(RequestChange(item, f"drop the beta {beta!r}", f"may reject the beta {beta!r}", None, True))
            continue
        own = computer_use_beta(model, beta)
        if beta not in known:
            continue  # a beta the catalog does not know: not judged
        rewrites = [_string_rewrite(item, own)] if own is not None and isinstance(item, cst.SimpleString) and value.node is item else None
        action = f"use the beta {own!r}" if own is not None else f"drop the beta {beta!r}"
        fit.changes.append(RequestChange(item, action, f"rejects the beta {beta!r}", rewrites, uncertain))
    _betas_without_effect(index, request, without_effect, fit)
    for item, scope in list_items(request.field_of("anthropic_tools")):
        tool = index.resolve(item, scope)
        if not isinstance(tool, DictValue) or "type" not in tool.entries:
            continue
        entry = tool.entries["type"]
        value = _literal_string(index, entry.value, entry.scope)
        match = TOOL_TYPE.match(str(value.value)) if value is not None else None
        if value is None or match is None:
            continue
        accepted = model.constraint(f"tool_versions.{match.group('tool')}")
        versions = accepted.value
        if versions is None or value.value in versions:
            continue
        found = tool_version_rewrites(index, tool, entry.value, value, versions[0]) if len(versions) == 1 else None
        rewrites, action = found if found is not None else (None, f"replace the tool {value.value!r}")
        fit.changes.append(RequestChange(entry.value, action, f"rejects the tool version {value.value!r}", rewrites, accepted.uncertain))


def _betas_without_effect(index: ModuleIndex, request: Request, betas: list[tuple[cst.BaseExpression, str]], fit: RequestFit) -> None:
    """Betas the model has built in or ignores (``token-efficient-tools`` and
    ``output-128k`` on Claude 4, ``effort`` on 4.6: "Remove (no effect)", docs/facts.md
    §10.5, §10.9) are dropped: the list loses them, or the request its ``anthropic_beta``
    when none is left.  A list not written in the request stays: the model accepts it."""
    if not betas:
        return
    found = request.field_of("anthropic_beta")
    assert found is not None
    names = {beta for _, beta in betas}
    rewrites: list[Rewrite] | None = None
    literal = found.value_node
    if isinstance(found.value, ListValue) and found.value.node is literal and isinstance(literal, cst.List) and _editable(request, found):
        written = all(isinstance(item, cst.SimpleString) and any(item is e.value for e in literal.elements) for item, _ in betas)
        if written and len(literal.elements) == len(betas):
            rewrites = removal(request, found)
        elif written:
            rewrites = [Rewrite(literal, lambda node: _list_without_strings(node, names))]  # type: ignore[arg-type]
    if rewrites is None:
        return  # the model accepts them: a list written elsewhere stays as it is
    for position, (item, beta) in enumerate(betas):
        # One rewrite drops them all; the other changes carry none (and do not block).
        carried = rewrites if position == 0 else []
        fit.changes.append(RequestChange(item, f"drop the beta {beta!r}", f"has no use for the beta {beta!r}", carried))


def _list_without_strings(node: cst.List, texts: set[str]) -> cst.List:
    """``node`` without its string elements whose value is in ``texts``; the new last
    element takes the old last one's comma (or lack of one)."""
    elements = list(node.elements)
    kept = [e for e in elements if not (isinstance(e.value, cst.SimpleString) and e.value.evaluated_value in texts)]
    if kept and elements and kept[-1] is not elements[-1]:
        kept[-1] = kept[-1].with_changes(comma=elements[-1].comma)
    return node.with_changes(elements=kept)


def _prefill_obstacle(index: ModuleIndex, request: Request, model: ClaudeModel, thinking_on: bool, fit: RequestFit) -> None:
    messages = messages_of(request) if request.api in MESSAGE_APIS else None
    turn = last_turn(index, messages[0], messages[1]) if messages is not None else None
    if turn is None or turn.role != "assistant":
        return
    if model.accepts_prefill.value is False or (thinking_on and model.constraint("thinking.prefill").value is False):
        line = _line_of(index, turn.node)
        fit.obstacle = "rejects the assistant prefill" + (f" at line {line}" if line is not None else "")


def _line_of(index: ModuleIndex, node: cst.CSTNode) -> int | None:
    """The line a node starts on, for a message; None in a notebook, whose analysed
    text does not number lines as the cells do."""
    if index.filename.endswith(".ipynb"):
        return None
    from bedrock_lint.analysis.positions import LineTable, NodeOffsets

    start, _ = NodeOffsets(index.module, [node]).syntactic(node)
    return LineTable(index.text).position(start)[0]
