"""``/docs`` without the internet: Swagger UI's files from the ``swagger-ui-bundle-v2``
package (the ``swagger-ui-dist`` release of the Swagger UI project, Apache-2.0), started
by a local script instead of the inline one FastAPI's page carries, under a CSP."""
from __future__ import annotations

import os
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from interceptor.service.console import render

ASSETS = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png")


class SwaggerAssets(StaticFiles):
    """Only the three files the page uses (the package also ships source maps and demos)."""

    def __init__(self) -> None:
        super().__init__(directory=Path(str(swagger_ui_path)))

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        if path not in ASSETS:
            return "", None
        return super().lookup_path(path)


async def docs(request: Request) -> Response:
    root = request.scope.get("root_path", "")
    return HTMLResponse(render.ENV.get_template("docs.html").render(root=root))
