"""gunicorn settings read from the working directory (``gunicorn portal.wsgi``); command-line flags override."""


def child_exit(server, worker):
    """Prometheus multiprocess mode (PROMETHEUS_MULTIPROC_DIR): forget the figures of a worker that exited."""
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):
    """Load the task check's Chinese segmenter before the first request (it takes a second or two)."""
    from taskcheck.text import tokenizer

    tokenizer()
