"""The Bedrock Runtime API surface of the botocore the user has.

Which parameters ``converse()`` accepts, which keys ``inferenceConfig`` has, which stop
reasons a response can carry: botocore's service model says, and it changes with every
botocore release (1.44.8 added Converse's ``projectIdentifier``).  Judging a call against
a snapshot taken from another botocore reports valid parameters as errors, so when
botocore is importable the surface is read from its own loader, the way botocore reads
it when the call is made (``AWS_DATA_PATH`` and ``~/.aws/models`` included).  The
packaged ``bedrock_runtime_api.json`` (``scripts/generate_api_surface.py``) is the
fallback when botocore is absent or its model cannot be read.

The model files are read the way botocore's loader reads them (without importing the
loader: see ``load_service_model``), once per process.  That takes about 25 ms in a new
process; a cache file on disk was measured slower to find and read (about 35 ms, most of
it locating the user cache directory and botocore's version), so there is none.  The
findings cache keys on where the surface is read from (:func:`surface_key`), so a run
whose files the cache answers never reads it.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache

SERVICE = "bedrock-runtime"
# The Converse request structures the request-shape rules check.
CONVERSE_SHAPES = ("InferenceConfiguration", "Message", "ContentBlock", "SystemContentBlock", "ToolConfiguration", "ToolChoice")
INSTALLED, SNAPSHOT = "installed", "snapshot"


@dataclass(frozen=True)
class Surface:
    data: dict
    origin: str  # INSTALLED or SNAPSHOT
    botocore_version: str  # the botocore whose service model this is
    key: str  # changes whenever the surface would (the findings cache's fingerprint)
    note: str = ""  # why the snapshot is used

    def describe(self) -> str:
        """``botocore 1.44.8`` or ``botocore 1.44.5 (packaged snapshot)``: for messages."""
        if self.origin == INSTALLED:
            return f"botocore {self.botocore_version}"
        return f"botocore {self.botocore_version} (packaged snapshot)"

    def summary(self) -> str:
        """One line for ``bedrock-lint rules`` and ``check --verbose``."""
        if self.origin == INSTALLED:
            return f"Bedrock Runtime API: the service model of the installed botocore {self.botocore_version}"
        return f"Bedrock Runtime API: the packaged snapshot of botocore {self.botocore_version}'s service model ({self.note})"


def search_paths(botocore_root: str) -> list[str]:
    """Where botocore's loader looks for service models, in its order: ``AWS_DATA_PATH``,
    ``~/.aws/models``, then botocore's own ``data`` (``botocore.loaders.create_loader``)."""
    paths = [os.path.expanduser(os.path.expandvars(p)) for p in os.environ.get("AWS_DATA_PATH", "").split(os.pathsep) if p]
    return [*paths, os.path.join(os.path.expanduser("~"), ".aws", "models"), os.path.join(botocore_root, "data")]


def _model_file(directory: str) -> str | None:
    for name in ("service-2.json", "service-2.json.gz"):  # botocore's _JSON_OPEN_METHODS
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            return path
    return None


def load_service_model(botocore_root: str) -> dict:
    """bedrock-runtime's service model as botocore's ``Loader.load_service_model`` finds
    it: the latest API version in any search path, from the first path that has it.
    The files are read, not botocore's loader imported: importing it imports urllib3,
    which opens a socket to probe for IPv6, and a linter opens none."""
    versions: dict[str, str] = {}
    for root in search_paths(botocore_root):
        directory = os.path.join(root, SERVICE)
        try:
            names = os.listdir(directory)
        except OSError:
            continue
        for name in names:
            found = _model_file(os.path.join(directory, name))
            if found is not None:
                versions.setdefault(name, found)
    if not versions:
        raise FileNotFoundError(f"no {SERVICE} service model under {', '.join(search_paths(botocore_root))}")
    path = versions[max(versions)]
    import gzip

    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as stream:
        return json.loads(stream.read().decode("utf-8"))


def config_option_order(botocore_root: str) -> list[str]:
    """``botocore.config.Config``'s parameters in positional order, read from the
    ``OPTION_DEFAULTS`` of its source (importing it would import urllib3 too)."""
    import ast

    with open(os.path.join(botocore_root, "config.py"), encoding="utf-8") as stream:
        tree = ast.parse(stream.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "OPTION_DEFAULTS" for t in node.targets):
            pairs = node.value.args[0] if isinstance(node.value, ast.Call) and node.value.args else node.value
            if isinstance(pairs, (ast.List, ast.Tuple)):
                return [ast.literal_eval(item.elts[0]) for item in pairs.elts]
    raise ValueError("botocore.config.Config.OPTION_DEFAULTS not found")


def build_surface(botocore_root: str | None = None) -> dict:
    """The surface from the service model of the botocore at ``botocore_root`` (the
    importable one when None).  Raises when the model or Config cannot be read."""
    import botocore  # its package only: no urllib3
    from botocore import xform_name

    if botocore_root is None:
        botocore_root = os.path.dirname(botocore.__file__)
    model = load_service_model(botocore_root)
    shapes = model["shapes"]

    def members(shape_name: str) -> dict:
        return shapes[shape_name].get("members", {})

    def streams(operation: dict) -> bool:
        output = operation.get("output", {}).get("shape")
        return output is not None and any(shapes[m["shape"]].get("eventstream") for m in members(output).values())

    operations = {}
    for name, operation in model["operations"].items():
        shape = operation.get("input", {}).get("shape")
        operations[xform_name(name)] = {
            "api_name": name,
            "parameters": list(members(shape)) if shape else [],
            "required": list(shapes[shape].get("required", [])) if shape else [],
            "event_stream_output": streams(operation),
        }
    converse_input = model["operations"]["Converse"]["input"]["shape"]
    return {
        "generated_from": f"botocore {botocore.__version__} {SERVICE} {model['metadata']['apiVersion']}",
        "operations": operations,
        "converse_inference_config": list(members("InferenceConfiguration")),
        "config_positional_order": config_option_order(botocore_root),
        # The grammar of modelId (ids, profile ids and ARNs) as the service declares it.
        "model_id_pattern": shapes[members(converse_input)["modelId"]["shape"]]["pattern"],
        "shapes": {name: list(members(name)) for name in CONVERSE_SHAPES},
        # Every stopReason a Converse (and ConverseStream messageStop) response can carry.
        "converse_stop_reasons": list(shapes["StopReason"]["enum"]),
    }


def packaged_snapshot() -> dict:
    from importlib import resources

    text = resources.files("bedrock_lint.catalog").joinpath("bedrock_runtime_api.json").read_text("utf-8")
    return json.loads(text)


def _botocore_version(data: dict) -> str:
    # "botocore 1.44.5 bedrock-runtime 2023-09-30"
    parts = data.get("generated_from", "").split()
    return parts[1] if len(parts) > 1 else "unknown"


def surface_key() -> str:
    """Changes whenever the surface in use can (the findings cache's fingerprint), without
    building it: which botocore is importable, and the size and modification time of
    its ``__init__.py`` (its version), its ``config.py`` and every bedrock-runtime service
    model file of the search paths.  A run whose files the cache answers neither imports
    botocore nor reads its service model (about 20 ms)."""
    from importlib.util import find_spec

    try:
        spec = find_spec("botocore")
    except (ImportError, ValueError, AttributeError):  # a broken or hidden botocore
        spec = None
    if spec is None or spec.origin is None:
        return SNAPSHOT  # the packaged snapshot: the findings cache digests the packaged data
    botocore_root = os.path.dirname(spec.origin)
    stamp = [botocore_root]
    files = [spec.origin, os.path.join(botocore_root, "config.py")]
    for root in search_paths(botocore_root):
        directory = os.path.join(root, SERVICE)
        try:
            names = sorted(os.listdir(directory))
        except OSError:
            continue
        files += [found for found in (_model_file(os.path.join(directory, name)) for name in names) if found is not None]
    for path in files:
        try:
            status = os.stat(path)
        except OSError:
            stamp.append(f"{path}\0-")
            continue
        stamp.append(f"{path}\0{status.st_size}\0{status.st_mtime_ns}")
    return hashlib.sha256("\0\0".join(stamp).encode("utf-8", "surrogatepass")).hexdigest()[:16]


@lru_cache(maxsize=1)
def current_surface() -> Surface:
    """The surface calls are judged against: the installed botocore's, else the snapshot."""
    try:
        import botocore
    except ImportError:
        return _surface(packaged_snapshot(), SNAPSHOT, "botocore is not installed")
    try:
        return _surface(build_surface(os.path.dirname(botocore.__file__)), INSTALLED)
    except Exception as error:  # a botocore whose model this version cannot read
        note = f"botocore {getattr(botocore, '__version__', '?')}'s {SERVICE} model could not be read ({type(error).__name__}: {error})"
        return _surface(packaged_snapshot(), SNAPSHOT, note)


def _surface(data: dict, origin: str, note: str = "") -> Surface:
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]
    return Surface(data, origin, _botocore_version(data), f"{origin}-{digest}", note)
