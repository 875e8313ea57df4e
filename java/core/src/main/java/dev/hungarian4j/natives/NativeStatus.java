package dev.hungarian4j.natives;

import dev.hungarian4j.HungarianException;
import dev.hungarian4j.InvalidInputException;

/** Turns native status codes into Java exceptions carrying the native message (which names argument and index). */
final class NativeStatus {
    static final int OK = 0;
    static final int ERR_INVALID_ARG = 1;
    static final int ERR_NON_FINITE = 2;

    private NativeStatus() {
    }

    /** Throws when {@code status} is not OK; {@code call} names the native function for the message. */
    static void check(int status, String call) {
        if (status == OK) {
            return;
        }
        String msg = NativeLibrary.h4j_last_error();
        if (msg == null || msg.isEmpty()) {
            msg = NativeLibrary.h4j_status_string(status);
        }
        if (status == ERR_INVALID_ARG || status == ERR_NON_FINITE) {
            int sp = msg.indexOf(' ');
            throw sp > 0 ? new InvalidInputException(msg.substring(0, sp), msg.substring(sp + 1))
                    : new InvalidInputException(call, msg);
        }
        throw new HungarianException(status, call + " failed with status " + status + " ("
                + NativeLibrary.h4j_status_string(status) + "): " + msg);
    }
}
