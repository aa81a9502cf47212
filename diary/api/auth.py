"""Token sign-in (django-rest-knox) that also switches the request to the person's language, as the
middleware does for a session (diary.web.PersonLanguageMiddleware)."""

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication

from diary.language import activate_for


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            activate_for(result[0])
        return result


class TokenScheme(KnoxTokenScheme):
    """The same token in the API schema as knox's own (drf-spectacular matches the class exactly)."""

    target_class = "diary.api.auth.TokenAuthentication"
