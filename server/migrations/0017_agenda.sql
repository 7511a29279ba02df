-- A colleague's busy slots are found by the account an appointment is booked with.
CREATE INDEX quick_scan_appointment_worker
    ON quick_scan ((fields -> 'outcome' -> 'outcome' ->> 'worker_account'))
    WHERE outcome_kind = 'appointment' AND NOT deleted;
