"""The web console's services: who is signed in, and what they may see. HTTP lives in ``app.web.console``."""
