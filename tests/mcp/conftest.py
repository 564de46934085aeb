"""What the MCP tests share."""

# The tools the server offers, by name.
TOOL_NAMES = {
    "search_companies",
    "get_ladder",
    "translate_titles",
    "career_path",
    "understand_titles",
    "compare_ladders",
}
