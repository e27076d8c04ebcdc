    static void action${idx}(final android.content.Context ctx) {
${stmts}
    }
