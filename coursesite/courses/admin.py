"""The Course admin edits a course with its grading configuration (category weights, letter cutoffs,
grace-day budgets), which belongs to the grades app above this one, and records the changes in the
history: it is registered from coursesite/grades/course_admin.py."""
