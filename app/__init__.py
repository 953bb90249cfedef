"""BRI Tracker: a REST API for China's Belt and Road Initiative."""

__version__ = "0.1.0"
