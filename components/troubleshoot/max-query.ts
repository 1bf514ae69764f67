/** The longest query the troubleshooting search reads (the box's maxLength, and the server's cut of `?q=`). */
export const MAX_QUERY = 2000;
