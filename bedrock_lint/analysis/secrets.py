"""What a real AWS credential looks like, and how to show one without revealing it.

Plain string tests, no libcst: the text output imports this module to mask
credentials in the source lines it prints (``redact``), and BDR007 uses the same
tests on resolved values (``looks_like_credential``).

Shapes (AWS IAM User Guide, "IAM identifiers" → unique ID prefixes; STS
``GetAccessKeyInfo``; Amazon Bedrock User Guide, "API keys"):

- access key id: 20 characters, ``AKIA`` (long-term) or ``ASIA`` (temporary, STS)
  followed by 16 upper-case letters and digits; ``ABIA`` (STS service bearer token),
  ``ACCA`` (context-specific credential) and the older ``A3T?`` prefix are accepted as
  well, as secret scanners do;
- secret access key: 40 characters of base64 (``A-Z a-z 0-9 / +``);
- session token: a long base64 string (hundreds of characters in practice; 100 or more
  is required here);
- Amazon Bedrock API key: long-term keys start with ``ABSK``, short-term ones with
  ``bedrock-api-key-``.

A value of the right shape is still not a credential when it is a placeholder: AWS's
documented example keys (``AKIAIOSFODNN7EXAMPLE``,
``wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY``: anything containing ``EXAMPLE``), text such
as ``your``/``dummy``/``fake``/``test``/``changeme``, templates (``<…>``, ``{…}``,
``${…}``), ``...``, a run of one repeated character (``XXXX``) or of ascending
characters (``12345``, ``ABCDE``), and low-entropy text.  The chance that a random key
trips one of these tests is below one in a thousand, and a placeholder reported as a
leaked key would be a false alarm on every tutorial.  A session token is hundreds of
random characters, in which those words and runs turn up by chance (one in 250): one
that starts with an STS header is a placeholder only with ``EXAMPLE`` or low entropy.
"""

from __future__ import annotations

import math
import re
from collections import Counter

# Credential kinds; the same names as the ``credentials`` column of the library
# entry-point table (keyword -> kind).
ACCESS_KEY_ID = "access_key_id"
SECRET_ACCESS_KEY = "secret_access_key"
SESSION_TOKEN = "session_token"
BEDROCK_API_KEY = "api_key"
ROLES = (ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN, BEDROCK_API_KEY)

ROLE_NAMES = {
    ACCESS_KEY_ID: "AWS access key id",
    SECRET_ACCESS_KEY: "AWS secret access key",
    SESSION_TOKEN: "AWS session token",
    BEDROCK_API_KEY: "Amazon Bedrock API key",
}

# How many leading characters of a credential a message may show.
SHOWN_PREFIX = 4

_ACCESS_KEY_ID = re.compile(r"(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}")
_SECRET_ACCESS_KEY = re.compile(r"[A-Za-z0-9/+]{40}")
_SESSION_TOKEN = re.compile(r"[A-Za-z0-9/+]{100,}={0,2}")
# The headers STS session tokens start with, in base64: "!\n\torigin_" (current tokens),
# "\x17\n\x06er/aws" and "\x15\n\x06er/aws" (older ones), "\x01\n\x03aws" (oldest).
_SESSION_TOKEN_HEADERS = ("IQoJb3JpZ2luX2", "FwoGZXIvYXdz", "FQoGZXIvYXdz", "AQoDYXdz")
_BEDROCK_API_KEY = re.compile(r"(?:ABSK[A-Za-z0-9/+]{32,}={0,2}|bedrock-api-key-[A-Za-z0-9/+%&=._-]{32,})")

_PLACEHOLDER_WORDS = (
    "example", "your", "xxxx", "placeholder", "dummy", "fake", "test", "changeme", "change_me",
    "replace", "redacted", "sample", "secret", "insert", "mock", "todo", "fixme", "access",
)
_TEMPLATE_CHARACTERS = set("<>{}$*…")


def role_of_keyword(keyword: str) -> str | None:
    """The credential a parameter carries, from its name: ``aws_access_key_id`` and
    ``aws_access_key`` (AnthropicBedrock) and botocore's ``access_key`` are key ids;
    ``*secret*`` secrets; ``*session_token``/``token`` session tokens; ``api_key`` /
    ``bedrock_api_key`` Bedrock API keys.  None for anything else.

    Library tables name their credential parameters; this is how their names map to
    the shapes above."""
    name = keyword.lower()
    if "secret" in name:
        return SECRET_ACCESS_KEY
    if name in ("token", "session_token", "aws_session_token", "security_token", "aws_security_token"):
        return SESSION_TOKEN
    if name.endswith("api_key"):
        return BEDROCK_API_KEY
    if "access_key" in name:
        return ACCESS_KEY_ID
    return None


def looks_like_credential(value: str, role: str) -> bool:
    """True when ``value`` has the shape of a real credential of ``role`` and is no
    placeholder."""
    if role == ACCESS_KEY_ID:
        return bool(_ACCESS_KEY_ID.fullmatch(value)) and not _is_placeholder(value[4:], minimum_entropy=2.5)
    if role == SECRET_ACCESS_KEY:
        return bool(_SECRET_ACCESS_KEY.fullmatch(value)) and _mixed_case(value) and not _is_placeholder(value, 3.5)
    if role == SESSION_TOKEN:
        return bool(_SESSION_TOKEN.fullmatch(value)) and _mixed_case(value) and not _is_session_token_placeholder(value)
    if role == BEDROCK_API_KEY:
        if not _BEDROCK_API_KEY.fullmatch(value):
            return False
        body = value[4:] if value.startswith("ABSK") else value[len("bedrock-api-key-"):]
        return not _is_placeholder(body, 3.5)
    return False


def shown(value: str) -> str:
    """What a message may show of a credential: its first four characters."""
    return value[:SHOWN_PREFIX] + "…"


def _mixed_case(value: str) -> bool:
    # Hex digests (git commits, SHA-1) have one case; base64 keys have both.
    return any(c.isupper() for c in value) and any(c.islower() for c in value)


def _is_placeholder(value: str, minimum_entropy: float) -> bool:
    lowered = value.lower()
    if any(word in lowered for word in _PLACEHOLDER_WORDS):
        return True
    if "..." in value or _TEMPLATE_CHARACTERS.intersection(value):
        return True
    if _has_run(value):
        return True
    return _entropy(value) < minimum_entropy


def _is_session_token_placeholder(value: str) -> bool:
    """A token that starts with an STS header is random base64 after it, hundreds of
    characters long: "test", "xxxx", "your" or "12345" turn up in one token in 250 by
    chance.  Such a token is a placeholder only with AWS's ``EXAMPLE`` marker or when the
    rest is not random: random base64 of 100 characters or more has 5.3 bits per character
    or more, English text about 4.2.  Other tokens get the general tests."""
    if value.startswith(_SESSION_TOKEN_HEADERS):
        return "EXAMPLE" in value or _entropy(value) < 4.5
    return _is_placeholder(value, 4.0)


def _has_run(value: str) -> bool:
    """Four equal characters in a row, or five ascending or descending ones."""
    same = up = down = 1
    for previous, current in zip(value, value[1:]):
        same = same + 1 if current == previous else 1
        up = up + 1 if ord(current) == ord(previous) + 1 else 1
        down = down + 1 if ord(current) == ord(previous) - 1 else 1
        if same >= 4 or up >= 5 or down >= 5:
            return True
    return False


def _entropy(value: str) -> float:
    """Shannon entropy per character (random base64 is near 5 bits, English under 4.2)."""
    if not value:
        return 0.0
    counts = Counter(value)
    total = len(value)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


# ----------------------------------------------------------------- redaction
# Tokens in source text that may be credentials: checked with looks_like_credential.
_CANDIDATES = re.compile(
    r"(?<![A-Za-z0-9/+_-])(?:bedrock-api-key-[A-Za-z0-9/+%&=._-]{32,}|[A-Za-z0-9/+]{16,}={0,2})(?![A-Za-z0-9/+=_-])"
)


def redact(text: str) -> str:
    """``text`` with every credential-shaped token masked after its first four
    characters (same length, so columns stay where they were)."""
    if len(text) < 20:
        return text

    def mask(match: re.Match[str]) -> str:
        token = match.group(0)
        if any(looks_like_credential(token, role) for role in ROLES):
            return token[:SHOWN_PREFIX] + "*" * (len(token) - SHOWN_PREFIX)
        return token

    return _CANDIDATES.sub(mask, text)


def mask_spellings(text: str, spellings: "tuple[str, ...] | list[str]") -> str:
    """``text`` with every occurrence of each spelling (the source text of a string
    piece that makes up a hard-coded credential: ``"AKIAQ3EG" "RTLP…"``, an f-string's
    text, a ``\\u``-escaped literal) masked after its first four characters, same length."""
    for spelling in sorted(spellings, key=len, reverse=True):
        if spelling in text:
            text = text.replace(spelling, spelling[:SHOWN_PREFIX] + "*" * (len(spelling) - SHOWN_PREFIX))
    return text


def masked(text: str, spellings: "tuple[str, ...] | list[str]" = ()) -> str:
    """Both maskings: the spellings this module's credentials are written with, then any
    credential-shaped token."""
    return redact(mask_spellings(text, spellings) if spellings else text)


def spelling_spans(text: str, spellings: "tuple[str, ...] | list[str]") -> list[tuple[int, int]]:
    """Where the spellings occur in ``text`` (offsets): what a cache may keep instead of
    the spellings themselves."""
    spans = []
    for spelling in spellings:
        start = text.find(spelling)
        while start != -1:
            spans.append((start, start + len(spelling)))
            start = text.find(spelling, start + 1)
    return sorted(spans)


def mask_spans(text: str, spans: "list[tuple[int, int]] | list[list[int]]") -> str:
    """``text`` with each span masked after its first four characters, same length."""
    if not spans:
        return text
    pieces = []
    position = 0
    for start, end in sorted((int(a), int(b)) for a, b in spans):
        if start < position or end > len(text):
            continue
        keep = min(end, start + SHOWN_PREFIX)
        pieces.append(text[position:keep])
        pieces.append("*" * (end - keep))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
