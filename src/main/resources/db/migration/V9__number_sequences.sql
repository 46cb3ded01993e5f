-- Number sequences (docs/decisions/0009): per legal entity and sequence name, gap-free under retries.

CREATE TABLE number_sequence (
    legal_entity  VARCHAR(100) NOT NULL,
    name          VARCHAR(100) NOT NULL,
    last_value    BIGINT       NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (legal_entity, name)
);

-- which run's step took which number: a resumed or repeated step gets the same number again
CREATE TABLE number_allocation (
    legal_entity   VARCHAR(100) NOT NULL,
    name           VARCHAR(100) NOT NULL,
    number_value   BIGINT       NOT NULL,
    submission_id  VARCHAR(36)  NOT NULL,
    run_no         INT          NOT NULL,
    step_name      VARCHAR(100) NOT NULL,
    allocated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (legal_entity, name, number_value)
);
CREATE UNIQUE INDEX ux_allocation_step ON number_allocation (submission_id, run_no, step_name, legal_entity, name);
