"""Pages that show several apps at once, above them all: an assignment's pages (the upload form with the
late-work preview and grace days, each submission with its autograder feedback or rubric score) and a
member's course dashboard (the grade report). Each app keeps the pages that need only it and the apps
below it in its own views.py; a page here keeps its app's URL namespace (`assignments:`, `courses:`) and
its templates folder."""
