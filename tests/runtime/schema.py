"""Models, errors and endpoints shared by the runtime tests, shaped like generated code."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from generator.runtime import (
    ApiError,
    BytesResult,
    Endpoint,
    JsonLinesResult,
    JsonResult,
    NoneResult,
    SseResult,
    TextResult,
)


class Voice(BaseModel):
    voice_id: str
    name: str


class VoiceSettings(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    stability: float | None = None
    similarity_boost: float | None = Field(default=None, alias="similarityBoost")


class ValidationErrorItem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class HTTPValidationError(BaseModel):
    detail: list[ValidationErrorItem]


class Chunk(BaseModel):
    text: str


class UnprocessableEntityError(ApiError):
    pass


class NotFoundError(ApiError):
    pass


ERRORS: dict[int, tuple[type[ApiError], Any]] = {
    422: (UnprocessableEntityError, HTTPValidationError),
    404: (NotFoundError, None),
}

GET_VOICE: Endpoint[Voice] = Endpoint(
    method="GET", path="/v1/voices/{voice_id}", result=JsonResult(Voice), errors=ERRORS
)
LIST_VOICES: Endpoint[list[Voice]] = Endpoint(
    method="GET", path="/v1/voices", result=JsonResult(list[Voice]), errors=ERRORS
)
ANY_JSON: Endpoint[Any] = Endpoint(method="GET", path="/v1/anything", result=JsonResult(Any))
CREATE_VOICE: Endpoint[Voice] = Endpoint(
    method="POST", path="/v1/voices/add", result=JsonResult(Voice), errors=ERRORS
)
UPDATE_VOICE: Endpoint[Voice] = Endpoint(
    method="PUT", path="/v1/voices/{voice_id}", result=JsonResult(Voice), errors=ERRORS
)
DELETE_VOICE: Endpoint[None] = Endpoint(
    method="DELETE", path="/v1/voices/{voice_id}", result=NoneResult()
)
AUDIO: Endpoint[bytes] = Endpoint(method="POST", path="/v1/tts/{voice_id}", result=BytesResult())
TEXT: Endpoint[str] = Endpoint(method="GET", path="/v1/text", result=TextResult())
CHUNKS_SSE: Endpoint[Chunk] = Endpoint(method="POST", path="/v1/stream", result=SseResult(Chunk))
CHUNKS_JSONL: Endpoint[Chunk] = Endpoint(
    method="POST", path="/v1/stream", result=JsonLinesResult(Chunk)
)
