"""The JSON API (``/api/v1/``): ``kit`` holds what every app's ``api.py`` shares, ``root`` assembles them."""
