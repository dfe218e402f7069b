"""Cases: opening them from reports, routing them to the companion responsible, and their timeline."""
