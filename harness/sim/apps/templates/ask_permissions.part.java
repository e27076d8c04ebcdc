
    void askPermissions${idx}() {
        ${call}
    }
