"""The Slack adapter: Bolt listeners, Block Kit rendering, App Home, delivery."""
