"""The project's own German base: general NER data readers and the base-data build.

Used where ``de_core_news_md`` is not installed, so that the motorsport pipeline
starts from a model that knows German names and organisations.
"""
