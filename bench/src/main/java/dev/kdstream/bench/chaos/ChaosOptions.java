package dev.kdstream.bench.chaos;

import java.nio.file.Path;

/**
 * One chaos run's shape.
 *
 * @param records          records the producer streams (2 % invalid, the rest valid)
 * @param rate             records per second
 * @param teacherInstances teacher processes (one group)
 * @param serverReplicas   prediction server processes (one group)
 * @param teacherKills     SIGKILLs of a teacher, round robin over the instances
 * @param trainerKills     SIGKILLs of the trainer
 * @param serverKills      SIGKILLs of a server replica, round robin
 * @param brokerRestarts   broker restarts, SIGTERM and SIGKILL in turn
 * @param ensembleTeachers teachers in the ensemble the run trains first (inference cost, not accuracy, matters)
 * @param recoveryBound    seconds within which the stack must process again after each restart
 * @param logLevel         the services' log level (warn; info says what Kafka Streams does)
 * @param workDir          logs, broker data, state, the ensemble
 */
record ChaosOptions(int records, double rate, int teacherInstances, int serverReplicas, int teacherKills,
                    int trainerKills, int serverKills, int brokerRestarts, int ensembleTeachers,
                    double recoveryBound, long checkpointEveryRecords, double teacherBudget, String logLevel,
                    Path workDir) {

    /** The fault kinds, for the schedule. */
    enum Fault { TEACHER, TRAINER, SERVER, BROKER_TERM, BROKER_KILL }

    int faults() {
        return teacherKills + trainerKills + serverKills + brokerRestarts;
    }
}
