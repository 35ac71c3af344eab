"""JSON responses rendered by orjson.

FastAPI 0.165 deprecated its ``ORJSONResponse``; this is the same few lines on Starlette's
``Response``, so the service keeps orjson's speed whatever FastAPI ships.
"""
from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)
