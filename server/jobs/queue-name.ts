export const JOB_QUEUE = "cirrus-jobs";
