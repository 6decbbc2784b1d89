package cn.chuanyu.casetransfer.inbox;

/**
 * Told of each entry as it is appended to an agency's inbox, in the transaction that writes it (just before it
 * commits): whatever the listener writes commits or rolls back with the entry. The inbox knows its listeners only
 * by this interface, so features that react to entries (webhooks) depend on the inbox, not the other way round.
 */
public interface InboxListener {

    void entryAppended(String agency, InboxItem item);
}
