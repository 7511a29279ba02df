-- Reads and prints made on a device (also offline) reach the audit log once each: the device
-- numbers them. `at` is when it happened (the device's clock); `recorded_at` when it arrived.
ALTER TABLE audit_event ADD COLUMN device_seq bigint;
ALTER TABLE audit_event ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT now();
CREATE UNIQUE INDEX audit_event_device_seq ON audit_event (device_id, device_seq)
    WHERE device_seq IS NOT NULL;
