"""The demo province (`gaoxin demo`): deterministic seed data calibrated to DOMAIN.md.

The demo is its own app, above every module: it holds the province plan (zones, departments,
chains, flagship enterprises, accounts), the names and codes it draws, the orchestrator that runs
each installed module's demo step in dependency order (build.py) and the command. What a module's
demo builds, and the figures it is calibrated to, live in the module (`gaoxin.<module>.demo`).
"""
