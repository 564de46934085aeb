"""The MCP server: pmladder's tools for AI assistants in HR tools (see README, "MCP server")."""
