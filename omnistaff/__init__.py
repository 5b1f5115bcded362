"""omnistaff: workforce and staffing simulation for multichannel contact centers."""

__version__ = "0.1.0"
