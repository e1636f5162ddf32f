"""gunicorn settings read from the working directory (``gunicorn portal.wsgi``); command-line flags override."""


def post_worker_init(worker):
    """Load the task check's Chinese segmenter before the first request (it takes a second or two)."""
    from taskcheck.text import tokenizer

    tokenizer()
