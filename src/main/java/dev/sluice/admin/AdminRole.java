package dev.sluice.admin;

/** What an admin credential may do. */
public enum AdminRole {
    /** Listings and spend reports. */
    READ,
    /** Also create, change, revoke, rotate and delete. */
    WRITE;

    static AdminRole of(String configured) {
        return "write".equals(configured) ? WRITE : READ;
    }
}
