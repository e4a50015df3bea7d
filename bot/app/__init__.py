"""The composition root: builds backupbot from Settings and runs it.

Settings → engines (upstream.py) → state store (state_store.py) → scheduler and Slack app
(wiring.py), started and stopped in one order, served over HTTP or Socket Mode
(modes.py) with the operator's routes (ops.py). The command line calls in here and
nowhere else; nothing here is imported by the rooms it wires.
"""
