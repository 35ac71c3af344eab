"""Request bodies, validated strictly, and the JSON reading that precedes them.

Bodies are read with orjson (not the framework's JSON), so that malformed JSON, lone
surrogates, repeated keys (``strict_json``), wrong content types and over-long bodies all
become 4xx JSON errors; the
pydantic models below then check types and document the API in the OpenAPI schema.
"""
from __future__ import annotations

from typing import Any, Literal, TypeVar

import orjson
from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError, field_validator, model_validator

from interceptor.service import strict_json
from interceptor.service.errors import ApiError


def _clean(value: str | None) -> str | None:
    if value is not None and "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)


class ImageUrl(_Strict):
    url: StrictStr = Field(description="data:image/...;base64,... (http(s) only from [images] allowed_hosts)")
    detail: StrictStr | None = None


class ContentPart(_Strict):
    """An OpenAI content part: text (``text``, ``input_text``, ``output_text``, ``refusal``)
    or an image (``image_url``, ``input_image``). Other kinds (sound, files) are refused:
    the service cannot read them, and does not pretend to."""

    type: Literal["text", "input_text", "output_text", "refusal", "image_url", "input_image"]
    text: StrictStr | None = None
    refusal: StrictStr | None = None
    image_url: ImageUrl | StrictStr | None = None

    _nul = field_validator("text", "refusal")(_clean)

    @model_validator(mode="after")
    def _complete(self) -> ContentPart:
        if self.is_image and self.image_url is None:
            raise ValueError(f"a {self.type} part needs image_url")
        if not self.is_image and (self.refusal if self.type == "refusal" else self.text) is None:
            raise ValueError(f"a {self.type} part needs {'refusal' if self.type == 'refusal' else 'text'}")
        return self

    @property
    def is_image(self) -> bool:
        return self.type in ("image_url", "input_image")

    @property
    def url(self) -> str:
        return self.image_url if isinstance(self.image_url, str) else self.image_url.url if self.image_url else ""

    @property
    def said(self) -> str:
        """The text of a text part ("" for an image)."""
        return (self.refusal if self.type == "refusal" else self.text) or ""


class Message(_Strict):
    role: StrictStr = Field(max_length=64)
    content: StrictStr | list[ContentPart] = Field(description="A string, or OpenAI content parts (text and images).")

    _nul = field_validator("role")(_clean)

    @field_validator("content")
    @classmethod
    def _no_nul(cls, value: str | list[ContentPart]) -> str | list[ContentPart]:
        if isinstance(value, str):
            _clean(value)
        return value

    @property
    def text(self) -> str:
        """What the message says: its content, or its text parts joined (as the model reads them)."""
        return self.content if isinstance(self.content, str) else "".join(p.said for p in self.content)


class ImageItem(_Strict):
    data: StrictStr | None = Field(default=None, description="The image, base64 (PNG, JPEG, WebP, GIF, BMP).")
    url: StrictStr | None = Field(default=None, description="data:image/...;base64,...")

    @model_validator(mode="after")
    def _one(self) -> ImageItem:
        if (self.data is None) == (self.url is None):
            raise ValueError('an image is {"data": "<base64>"} or {"url": "data:image/...;base64,..."}')
        return self


class ModerateRequest(_Strict):
    text: StrictStr = Field(description="The text to check: a user prompt or a model output.")
    direction: Literal["input", "output"] = "input"
    conversation_id: StrictStr | None = Field(default=None, max_length=256)
    user_id: StrictStr | None = Field(default=None, max_length=256)
    service_id: StrictStr | None = Field(default=None, max_length=256)
    messages: list[Message] | None = Field(default=None, description="The conversation so far (logged on block).")
    images: list[ImageItem] | None = Field(default=None, description="Images sent with the text: their text is "
                                           "read (OCR) and checked with it. Needs [images] enabled.")

    _nul = field_validator("text", "conversation_id", "user_id", "service_id")(_clean)


class StreamRequest(_Strict):
    text: StrictStr = Field(description="The next chunk of the model output.")
    carry: StrictStr | None = Field(default=None, max_length=4_000_000,
                                    description="The carry of the previous chunk's answer; null for the first.")
    final: bool = False
    conversation_id: StrictStr | None = Field(default=None, max_length=256)
    user_id: StrictStr | None = Field(default=None, max_length=256)
    service_id: StrictStr | None = Field(default=None, max_length=256)
    messages: list[Message] | None = None

    _nul = field_validator("text", "conversation_id", "user_id", "service_id")(_clean)


class BatchRequest(_Strict):
    items: list[ModerateRequest]


class AcknowledgeRequest(_Strict):
    ack_token: StrictStr = Field(max_length=4096)
    conversation_id: StrictStr | None = None


class DecisionRequest(_Strict):
    decision: Literal["confirm", "dismiss"]
    reviewer: StrictStr = Field(min_length=1, max_length=256)
    note: StrictStr | None = Field(default=None, max_length=10_000)

    _nul = field_validator("reviewer", "note")(_clean)


class HoldRequest(_Strict):
    conversation_id: StrictStr = Field(min_length=1, max_length=256)
    reason: StrictStr = Field(default="", max_length=10_000)
    by: StrictStr = Field(default="", max_length=256)


M = TypeVar("M", bound=BaseModel)


async def read_model(request: Request, model: type[M]) -> M:
    """Read a JSON body and validate it; every failure is a 4xx ApiError."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise ApiError(415, "unsupported_media_type", "the body must be JSON (Content-Type: application/json)")
    raw = await request.body()
    try:
        data: Any = strict_json.loads(raw)
    except orjson.JSONDecodeError as e:
        raise ApiError(400, "malformed_json", f"the body is not valid JSON: {e}") from None
    except strict_json.DuplicateKey as e:
        raise ApiError(422, "duplicate_key", f"{e}: a body names each field once") from None
    except strict_json.TooDeep as e:
        raise ApiError(400, "malformed_json", str(e)) from None
    if not isinstance(data, dict):
        raise ApiError(422, "invalid_body", "the body must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as e:
        detail = [{"loc": list(err["loc"]), "msg": err["msg"]} for err in e.errors()[:20]]
        first = detail[0]
        raise ApiError(422, "invalid_body", f"{'.'.join(map(str, first['loc'])) or 'body'}: {first['msg']}",
                       detail=detail) from None


def body_schema(model: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` documenting a body read by ``read_model``."""
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{model.__name__}"}}}}}
