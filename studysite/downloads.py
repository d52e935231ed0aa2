"""File downloads: one attachment, or several files zipped together."""

from __future__ import annotations

import io
import zipfile

from django.http import HttpResponse


def attachment(content: bytes | str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def zipped(files: dict[str, bytes], filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return attachment(buffer.getvalue(), content_type="application/zip", filename=filename)
