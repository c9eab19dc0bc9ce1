"""Configuration: :class:`Config` and its sources."""

from .config import Config, mask_password

__all__ = ["Config", "mask_password"]
