"""Page-number pagination with a capped page size."""

from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """``?page=N&page_size=M``: 50 per page by default, 500 at most."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
