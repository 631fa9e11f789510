"""What every app shares, beneath all of them: the domain error and its HTTP answer,
Markdown rendering, input validators, rate limits and REST helpers. Imports no app."""
