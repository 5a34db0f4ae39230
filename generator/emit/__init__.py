"""Stage 4, emit: the IR and the models → the generated package's files, as text.

Takes an `Api`, a `ModelSet` and the configuration. Gives every file of the package (relative
path → text) and which of them are already laid out as black would. Views (views.py,
operation_view.py, client_view.py, readme.py) compute the names, imports and type strings the
Jinja templates in templates/ print (render.py); surface.py describes what the client offers
its callers (surface.json, the change report's input). Spec text is escaped for where it lands.
"""

from .render import BLACK_ENV, TEMPLATES, Rendered, render_package
from .surface import FILE as SURFACE_FILE
from .surface import (
    ChannelSurface,
    ModelField,
    ModelSurface,
    OperationSurface,
    ParameterSurface,
    Surface,
    loads,
)

__all__ = [
    "BLACK_ENV",
    "SURFACE_FILE",
    "TEMPLATES",
    "ChannelSurface",
    "ModelField",
    "ModelSurface",
    "OperationSurface",
    "ParameterSurface",
    "Rendered",
    "Surface",
    "loads",
    "render_package",
]
