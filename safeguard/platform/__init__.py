"""The bottom layer every app may use: request context, the rules-settings bridge, middleware, the
scheduled-check registry, PDF and image helpers. It imports no feature app (``make lint`` holds it)."""
