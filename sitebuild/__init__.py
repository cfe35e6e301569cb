"""The parts of the static-site build; build.py only orchestrates them."""
