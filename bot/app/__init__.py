"""The composition root: builds backupbot from Settings and runs it.

Settings → engines (engines.py) → state store (state_store.py) → scheduler and Slack app
(wiring.py), started and stopped in one order, served over HTTP or Socket Mode
(modes.py, http_server.py) with the operator's routes (ops.py). Beside them: `check`
(check.py), the commands that need no Slack (terminal_modes.py: query, render, demo,
simulator; demo.py, terminal.py), logging (logs.py) and the process's memory tuning
(memory.py). The command line calls in here; nothing here is imported by the rooms it
wires.
"""
