"""JSON errors: ``{"error": {"code", "message"}}``, 4xx for anything the client got wrong."""
from __future__ import annotations

from typing import Any

from interceptor.service.responses import JSONResponse


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None,
                 detail: Any = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
        self.detail = detail

    def response(self) -> JSONResponse:
        body: dict[str, Any] = {"error": {"code": self.code, "message": self.message}}
        if self.detail is not None:
            body["error"]["detail"] = self.detail
        return JSONResponse(body, status_code=self.status, headers=self.headers)


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return ApiError(status, code, message, headers).response()
