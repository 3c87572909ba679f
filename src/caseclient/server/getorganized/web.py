"""Small pieces every GetOrganized route uses: JSON bodies in and out."""

from __future__ import annotations

import json
from typing import Any

from flask import Request, Response

from .errors import web_api_error


def json_body(req: Request) -> dict[str, Any]:
    """A small JSON request body (an object); a missing or broken one is Web API's 400."""
    try:
        body = json.loads(req.get_data(cache=False) or b"null")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise web_api_error(400, "The request is invalid.")
    return body


def json_response(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    content_type="application/json; charset=utf-8")
