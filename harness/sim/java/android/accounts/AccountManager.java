package android.accounts;

public class AccountManager {
    public AccountManager() {}

    public static AccountManager get(android.content.Context context) { return (AccountManager) context.getSystemService(android.content.Context.ACCOUNT_SERVICE); }

    /*@api*/ public android.accounts.Account[] getAccounts() {
        return (android.accounts.Account[]) android.sim.Sensitive.call("android.accounts.AccountManager.getAccounts", android.accounts.Account[].class, this, new Object[] {});
    }
    /*@api*/ public android.accounts.Account[] getAccountsByType(java.lang.String type) {
        return (android.accounts.Account[]) android.sim.Sensitive.call("android.accounts.AccountManager.getAccountsByType", android.accounts.Account[].class, this, new Object[] {type});
    }

    // @surface-methods
}
