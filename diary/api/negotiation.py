"""Content negotiation: the API has one way to answer, JSON, so the Accept header is not weighed."""

from rest_framework.negotiation import DefaultContentNegotiation


class AnswersInJson(DefaultContentNegotiation):
    """Renders with the first renderer (JSON) whatever Accept says: rather a JSON answer than a 406, and
    no parsing of Accept headers on every request. Request bodies are still chosen by Content-Type."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
