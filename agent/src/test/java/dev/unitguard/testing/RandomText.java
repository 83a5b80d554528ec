package dev.unitguard.testing;

import java.util.Random;

/** Random strings for the tests that compare a piece of code with another on many inputs. */
public final class RandomText {

    private RandomText() {
    }

    /** {@code length} characters drawn from {@code alphabet} with {@code random}, one draw each. */
    public static String of(Random random, String alphabet, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int n = length; n > 0; n--) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
