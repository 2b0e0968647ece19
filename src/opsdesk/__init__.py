"""opsdesk: a keyboard-driven terminal workstation for product-operations managers."""

__version__ = "0.1.0"
