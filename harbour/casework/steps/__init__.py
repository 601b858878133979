"""The steps staff record, one module per area, each calling `casework.recording.register`."""
