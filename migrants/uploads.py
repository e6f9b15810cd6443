"""Checking uploaded files by their content, not by the name or type the browser claims."""

from __future__ import annotations

import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

# The first bytes of each accepted format, and the content type the file is stored with.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
DOCX_SIGNATURE = b"PK\x03\x04"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def sniff_content_type(upload: UploadedFile, *, allow_docx: bool = False) -> str | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for content_type, signatures in SIGNATURES.items():
        if head.startswith(signatures):
            return content_type
    if allow_docx and head.startswith(DOCX_SIGNATURE) and _is_docx(upload):
        return DOCX_TYPE
    return None


def _is_docx(upload: UploadedFile) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)


def validate_upload(upload: UploadedFile, *, max_bytes: int, allow_docx: bool = False) -> str:
    """Return the sniffed content type, or raise a ValidationError that says what to do."""
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("The file %(name)s is empty."), params={"name": upload.name})
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file %(name)s is larger than %(limit)d MB. Please send a smaller file."),
            params={"name": upload.name, "limit": max_bytes // (1024 * 1024)},
        )
    content_type = sniff_content_type(upload, allow_docx=allow_docx)
    if content_type is None:
        if allow_docx:
            message = _("The file %(name)s is not a PDF, JPEG, PNG or Word (DOCX) file.")
        else:
            message = _("The file %(name)s is not a PDF, JPEG or PNG file.")
        raise ValidationError(message, params={"name": upload.name})
    return content_type
