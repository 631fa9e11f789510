"""The uploaded pictures under /media/, where no proxy in front serves them.

The files are pictures this server encoded itself with random names
(common/images.py), so they are served as they are, cached for a year (a name is
never reused) and under a CSP that lets nothing run. A deployment with nginx serves
/media/ from MEDIA_ROOT directly and sets KLIMA_SERVE_MEDIA=false
(docs/deployment.md).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe
from django.views.static import serve


@require_safe
def media(request: HttpRequest, path: str) -> HttpResponseBase:
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
