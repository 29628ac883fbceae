"""Run, render and publish: engagement folder in, deliverables out."""
