"""JSON API v1 (``/api/v1``): the targets' figures (``targets.py``) and their OpenAPI description."""
