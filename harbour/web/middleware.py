"""Nothing Harbour serves stays in a browser's or a proxy's cache: child records, trays, lists
naming children and exports are read on shared office computers. Static files (served before
this by WhiteNoise) are the only thing cached."""

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
