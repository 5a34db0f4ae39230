"""Stage 1, the spec: a file on disk → one validated OpenAPI document as plain data.

Takes the spec's path, the overlays and the limits of the configuration. Gives a `SpecSource`
(the document, where each part of it came from, a locator for file:line:column) after:

- load: safe YAML or JSON within the size, alias and depth limits (load.py, jsonpos.py);
- bundle: the files relative `$ref`s name, inside the spec's folder only (bundle.py, read.py);
- overlays: OpenAPI Overlay 1.0 documents applied in order (overlay.py);
- normalize and repair (default mode): upstream quirks rewritten into valid OpenAPI
  (normalize.py), defects later steps would choke on repaired (repair.py, paths.py), each a
  located warning; with --strict they are errors instead (policy.py);
- validate: openapi-spec-validator and the generator's own checks (validate.py); by default what
  the validator finds is a warning; pieces found valid before are not checked again (pieces.py).

AsyncAPI 2.x/3.0 documents read beside the spec (asyncapi.py) go through the same loader,
bundling, overlays and reference policy, and give an `AsyncApiDocument`.

Owns every diagnostic about the spec text itself. Nothing here executes, fetches or reads
outside the spec's folder.
"""

from .asyncapi import AsyncApiDocument, load_asyncapi
from .bundle import MISSING, ref_holders, ref_refusal
from .load import DEFAULT_MAX_BYTES, Locator, SpecSource, parse_any
from .normalize import Normalized, normalize
from .overlay import AppliedOverlay, Overlaid, apply_overlays
from .policy import Settled, settle_document
from .read import load_spec
from .validate import Facts, Validation, prepare, resolve_pointer

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MISSING",
    "AppliedOverlay",
    "AsyncApiDocument",
    "Facts",
    "Locator",
    "Normalized",
    "Overlaid",
    "Settled",
    "SpecSource",
    "Validation",
    "apply_overlays",
    "load_asyncapi",
    "load_spec",
    "normalize",
    "parse_any",
    "prepare",
    "ref_holders",
    "ref_refusal",
    "resolve_pointer",
    "settle_document",
]
